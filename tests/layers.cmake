# tst_layers: every #include in the code follows the layers, lowest first (README, "Layout"):
#   common <- agent;  common <- store, engine, net <- domain <- api (api/, proxy/, web/) <- coved's main;
#   the dashboard's client (app/) never includes its widgets (ui/), and neither includes backend code.
# The service's layers are libraries that link only downward, so a call that runs upward fails to link;
# this check also catches an upward include of a header-only type. Run: cmake -DSOURCE_DIR=... -P layers.cmake
set(allowed_common "common|cove")
set(allowed_agent "common|cove|agent")
set(allowed_store "common|cove|service/store")
set(allowed_engine "common|cove|service/engine")
set(allowed_net "common|cove|service/net")
set(allowed_domain "common|cove|service/(store|engine|net|domain)")
set(allowed_api "common|cove|service/(store|engine|net|domain|api|proxy|web)")
set(allowed_app "app")
set(allowed_ui "app|ui")

set(layers
    "backend/common:common" "backend/agent:agent" "backend/service/store:store" "backend/service/engine:engine"
    "backend/service/net:net" "backend/service/domain:domain" "backend/service/api:api"
    "backend/service/proxy:api" "backend/service/web:api" "app:app" "ui:ui")
set(violations "")
foreach(entry IN LISTS layers)
    string(REPLACE ":" ";" parts "${entry}")
    list(GET parts 0 dir)
    list(GET parts 1 layer)
    file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cpp")
    foreach(f IN LISTS files)
        file(STRINGS "${f}" includes REGEX "^#include \"")
        foreach(line IN LISTS includes)
            string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
            # A header beside the file (no folder) belongs to its own layer.
            if(NOT header MATCHES "/")
                continue()
            endif()
            if(NOT header MATCHES "^(${allowed_${layer}})/")
                file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
                string(APPEND violations "  ${rel} (${layer}) includes ${header}\n")
            endif()
        endforeach()
    endforeach()
endforeach()
if(violations)
    message(FATAL_ERROR "Includes that run against the layers:\n${violations}")
endif()
message(STATUS "Every include follows the layers.")
