// A real MariaDB Galera cluster for tests: three (or `size`) mariadbd with Debian's galera-4 on loopback
// ports, each in its own temporary directory. The first node founds the cluster and makes the database
// and user; the others join it, copying its data (rsync), and are ready once synchronised. A node that
// is killed or stopped comes back with start(), catching up on what it missed from the others.
#pragma once

#include "MariaDb.h"

#include <memory>
#include <vector>

namespace citysense::test {

class GaleraCluster {
public:
    explicit GaleraCluster(std::size_t size = 3);

    std::size_t size() const;
    MariaDb& node(std::size_t index);
    const MariaDb& node(std::size_t index) const;

    /// How many nodes the cluster has as node `index` sees it (wsrep_cluster_size); 0 when it does not
    /// answer.
    int clusterSize(std::size_t index) const;

private:
    std::vector<std::unique_ptr<MariaDb>> _nodes;
};

}  // namespace citysense::test
