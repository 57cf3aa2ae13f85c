# Installing the SDK as a CMake package and a pkg-config file, and the Debian packages built by
# tools/package: citysense (the service, its plugins, configuration and unit) and citysense-dev
# (headers, the CMake package, the test fakes).
include(CMakePackageConfigHelpers)

set(CITYSENSE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/citysense)
file(RELATIVE_PATH CITYSENSE_PLUGIN_RELATIVE_INSTALL_DIR ${CMAKE_INSTALL_PREFIX} ${CITYSENSE_PLUGIN_INSTALL_DIR})
install(EXPORT citysenseTargets NAMESPACE citysense:: DESTINATION ${CITYSENSE_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/citysenseConfig.cmake.in ${CMAKE_BINARY_DIR}/citysenseConfig.cmake
    INSTALL_DESTINATION ${CITYSENSE_CMAKE_DIR}
    PATH_VARS CITYSENSE_PLUGIN_RELATIVE_INSTALL_DIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/citysenseConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/citysenseConfig.cmake ${CMAKE_BINARY_DIR}/citysenseConfigVersion.cmake
    DESTINATION ${CITYSENSE_CMAKE_DIR} COMPONENT dev)
configure_file(cmake/citysense.pc.in ${CMAKE_BINARY_DIR}/citysense.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/citysense.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
install(DIRECTORY sql/ DESTINATION ${CMAKE_INSTALL_DATADIR}/citysense/sql COMPONENT runtime
    FILES_MATCHING PATTERN "*.sql")

set(CPACK_PACKAGE_NAME citysense)
set(CPACK_PACKAGE_VENDOR "citysense")
set(CPACK_PACKAGE_CONTACT "citysense developers <dev@citysense.local>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Street-side sensor stations: drivers, pipelines, MQTT and SQL sinks")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME citysense)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser, libjs-leaflet")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/etc/debian/conffiles ${CMAKE_SOURCE_DIR}/etc/debian/postinst
    ${CMAKE_SOURCE_DIR}/etc/debian/prerm ${CMAKE_SOURCE_DIR}/etc/debian/postrm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_DEV_PACKAGE_NAME citysense-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "citysense (= ${PROJECT_VERSION}), libpoco-dev, cmake")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# Its one library links libcitysense from the citysense package, which the explicit dependency names.
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
include(CPack)
