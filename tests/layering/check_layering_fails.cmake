# Runs check_layering.cmake on the planted graph and sources of fixtures/ and requires it to fail,
# naming each violation, and to say nothing about host/sim.
#   cmake -DCHECK=<check_layering.cmake> -DFIXTURES=<fixtures/> -DSOURCE_DIR=<dira> -P check_layering_fails.cmake
set(verilator_root /opt/planted-verilator)
execute_process(COMMAND ${CMAKE_COMMAND} -DGRAPH=${FIXTURES}/targets.cmake -DSOURCE_DIR=${SOURCE_DIR}
                        -DBINARY_DIR=${FIXTURES}/no-build -DVERILATOR_ROOT=${verilator_root}
                        -DHOST_DIR=${FIXTURES}/host -P ${CHECK}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(out "${out}${err}")
if(status EQUAL 0)
  message(FATAL_ERROR "the check passed a graph with planted violations:\n${out}")
endif()
set(expected
    "dira_transport links dira_sim_lab"
    "dira_transport links dira_station_rtl"
    "dira_store -> dira_transport -> dira_sim_lab"
    "dira_core compiles with the include directory ${verilator_root}/include"
    "dira_run compiles with -Wno-unknown-pragmas"
    "dira_run compiles with -Wno-unused-label"
    "dira_store compiles with the include directory ${SOURCE_DIR}/hls\n"
    "dira_store compiles with the include directory ${SOURCE_DIR}/hls/extract"
    "dira_store compiles with the include directory ${SOURCE_DIR}\n"
    "planted.cpp includes lab/sim_lab.hpp"
    "planted.cpp includes Vstation_core.h"
    "planted.cpp includes testbench/lab/sim_lab.hpp"
    "planted.cpp includes ../../../../../testbench/lab/sim_lab.hpp"
    "14 layering violation")
foreach(text IN LISTS expected)
  string(FIND "${out}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the check did not report '${text}':\n${out}")
  endif()
endforeach()
foreach(text IN ITEMS "dira_sim " "allowed.cpp" "transport/transport.hpp" "${SOURCE_DIR}/hls/include")
  string(FIND "${out}" "${text}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the check reported '${text}', which is allowed:\n${out}")
  endif()
endforeach()
message(STATUS "the check failed as it should, naming every planted violation")
