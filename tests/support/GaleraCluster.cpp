#include "GaleraCluster.h"

#include <stdexcept>

namespace citysense::test {

GaleraCluster::GaleraCluster(std::size_t size) {
    if (size == 0)
        throw std::invalid_argument("a Galera cluster has at least one node");
    _nodes.push_back(std::make_unique<MariaDb>(MariaDb::GaleraMembership{}));
    const MariaDb& founder = *_nodes.front();
    for (std::size_t index = 1; index < size; ++index)
        _nodes.push_back(
            std::make_unique<MariaDb>(MariaDb::GaleraMembership{founder.replicationAddress(), &founder}));
    // Started again, the founder must join the others rather than found a second cluster.
    std::string others;
    for (std::size_t index = 1; index < size; ++index)
        others += (others.empty() ? "" : ",") + _nodes[index]->replicationAddress();
    if (!others.empty())
        _nodes.front()->rejoinThrough(others);
}

std::size_t GaleraCluster::size() const {
    return _nodes.size();
}

MariaDb& GaleraCluster::node(std::size_t index) {
    return *_nodes.at(index);
}

const MariaDb& GaleraCluster::node(std::size_t index) const {
    return *_nodes.at(index);
}

int GaleraCluster::clusterSize(std::size_t index) const {
    try {
        const std::string answer = node(index).query("SHOW STATUS LIKE 'wsrep_cluster_size'", "");
        return std::stoi(answer.substr(answer.find('\t') + 1));
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace citysense::test
