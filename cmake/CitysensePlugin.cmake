# citysense_add_plugin(NAME SOURCES...)
# Builds a plugin as a MODULE library named citysense-NAME, linked to the SDK, into the plugin directory
# of the build tree, so that citysensed finds it when run from there.
function(citysense_add_plugin NAME)
    set(target citysense-${NAME})
    add_library(${target} MODULE ${ARGN})
    target_link_libraries(${target} PRIVATE citysense::sdk)
    set_target_properties(${target} PROPERTIES
        PREFIX ""
        LIBRARY_OUTPUT_DIRECTORY ${CITYSENSE_PLUGIN_OUTPUT_DIR}
        CXX_VISIBILITY_PRESET hidden
        INSTALL_RPATH "$ORIGIN/${CITYSENSE_LIBDIR_FROM_PLUGINDIR}")
    set_property(GLOBAL APPEND PROPERTY CITYSENSE_PLUGINS ${target})
    install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/citysense/plugins COMPONENT runtime)
endfunction()
