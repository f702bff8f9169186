# Checks that libdira stays free of the testbench and Verilator (docs/architecture.md, "Targets").
# For every library defined under host/ except host/sim (dira_sim, the simulated boards):
#   - no target it links, directly or through others, is defined under testbench/ or rtl/ (the
#     testbench and the Verilated models);
#   - none of its include directories is under testbench/, Verilator's, a Verilated model's (in the
#     build tree under testbench/ or rtl/), a folder of hls/ other than hls/include (the host
#     reads the wire definitions, never the firmware's kernels), hls/ itself or the top folder;
#   - it does not inherit the HLS pragma warning flags (-Wno-unknown-pragmas, -Wno-unused-label),
#     which belong to the code that compiles hls/ kernels;
# and no source under host/ outside host/sim includes a header that exists under testbench/ (as
# "lab/x.hpp", "testbench/lab/x.hpp" or a relative path that leads there) or a Verilated header
# (V<model>.h, verilated*.h).
#
#   cmake -DGRAPH=<targets.cmake> -DSOURCE_DIR=<dira> -DBINARY_DIR=<build> -DVERILATOR_ROOT=<dir>
#         [-DHOST_DIR=<folder to scan, default SOURCE_DIR/host>] -P check_layering.cmake
#
# GRAPH (written by tests/layering/CMakeLists.txt) sets DIRA_TARGETS and, per library T,
# DIRA_T_<T>_DIR, _LINKS (as declared), _INCLUDES and _OPTIONS (as CMake evaluates them).
cmake_minimum_required(VERSION 3.25)
foreach(var GRAPH SOURCE_DIR BINARY_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "check_layering.cmake: give -D${var}=...")
  endif()
endforeach()
if(NOT HOST_DIR)
  set(HOST_DIR ${SOURCE_DIR}/host)
endif()
include(${GRAPH})

set(violations 0)
macro(violation text)
  message(NOTICE "layering violation: ${text}")
  math(EXPR violations "${violations} + 1")
endmacro()

# Under `dir` (a path, or a folder of the host sources)?
function(dira_under out path dir)
  cmake_path(IS_PREFIX dir "${path}" NORMALIZE result)
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# The targets one declared link list names: $<LINK_ONLY:x> is x; CMake's own markers (::@...) and
# anything that is not a library of this build (system libraries, imported targets) are dropped.
function(dira_link_targets out links)
  set(found "")
  foreach(item IN LISTS links)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" item "${item}")
    if(item IN_LIST DIRA_TARGETS)
      list(APPEND found ${item})
    endif()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# Every library `target` links, through any number of others, as the path that reaches it
# ("a -> b -> c"), breadth first.
function(dira_link_paths out_paths target)
  set(seen "")
  set(paths "")
  set(queue ${target})
  set(path_${target} ${target})
  while(queue)
    list(POP_FRONT queue current)
    dira_link_targets(next "${DIRA_T_${current}_LINKS}")
    foreach(dep IN LISTS next)
      if(NOT dep IN_LIST seen AND NOT dep STREQUAL target)
        list(APPEND seen ${dep})
        list(APPEND queue ${dep})
        set(path_${dep} "${path_${current}} -> ${dep}")
        list(APPEND paths "${path_${dep}}")
      endif()
    endforeach()
  endwhile()
  set(${out_paths} ${paths} PARENT_SCOPE)
endfunction()

set(forbidden_source_dirs ${SOURCE_DIR}/testbench ${SOURCE_DIR}/rtl)
set(forbidden_include_dirs ${SOURCE_DIR}/testbench ${BINARY_DIR}/testbench ${BINARY_DIR}/rtl)
file(GLOB hls_folders LIST_DIRECTORIES true ${SOURCE_DIR}/hls/*)
foreach(folder IN LISTS hls_folders)
  if(IS_DIRECTORY ${folder} AND NOT folder STREQUAL "${SOURCE_DIR}/hls/include")
    list(APPEND forbidden_include_dirs ${folder})
  endif()
endforeach()
# The top folder and hls/ itself reach everything under them (hls/extract is spelled from the top).
set(forbidden_roots ${SOURCE_DIR} ${SOURCE_DIR}/hls)
set(hls_flags -Wno-unknown-pragmas -Wno-unused-label)
if(VERILATOR_ROOT)
  list(APPEND forbidden_include_dirs ${VERILATOR_ROOT})
endif()

set(checked "")
foreach(target IN LISTS DIRA_TARGETS)
  dira_under(in_host "${DIRA_T_${target}_DIR}" ${SOURCE_DIR}/host)
  dira_under(in_sim "${DIRA_T_${target}_DIR}" ${SOURCE_DIR}/host/sim)
  if(NOT in_host OR in_sim)
    continue()
  endif()
  list(APPEND checked ${target})
  dira_link_paths(paths ${target})
  foreach(path IN LISTS paths)
    string(REGEX REPLACE ".* -> " "" dep "${path}")
    foreach(dir IN LISTS forbidden_source_dirs)
      dira_under(bad "${DIRA_T_${dep}_DIR}" ${dir})
      if(bad)
        violation("${target} links ${dep} (${DIRA_T_${dep}_DIR}): ${path}")
      endif()
    endforeach()
  endforeach()
  set(includes ${DIRA_T_${target}_INCLUDES})
  list(REMOVE_DUPLICATES includes)
  foreach(include IN LISTS includes)
    foreach(root IN LISTS forbidden_roots)
      cmake_path(COMPARE "${include}" EQUAL "${root}" is_root)
      if(is_root)
        violation("${target} compiles with the include directory ${include}")
      endif()
    endforeach()
    foreach(dir IN LISTS forbidden_include_dirs)
      dira_under(bad "${include}" ${dir})
      if(bad)
        violation("${target} compiles with the include directory ${include}")
      endif()
    endforeach()
  endforeach()
  foreach(flag IN LISTS hls_flags)
    if(flag IN_LIST DIRA_T_${target}_OPTIONS)
      violation("${target} compiles with ${flag} (an HLS flag, for code that compiles hls/ kernels)")
    endif()
  endforeach()
endforeach()
if(NOT checked)
  violation("no library under ${SOURCE_DIR}/host in ${GRAPH}: nothing was checked")
endif()

file(GLOB_RECURSE host_sources ${HOST_DIR}/*.cpp ${HOST_DIR}/*.hpp ${HOST_DIR}/*.h)
set(scanned 0)
foreach(source IN LISTS host_sources)
  dira_under(in_sim "${source}" ${HOST_DIR}/sim)
  if(in_sim)
    continue()
  endif()
  math(EXPR scanned "${scanned} + 1")
  file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<][^\">]+[\">]")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]+)[\">].*" "\\1" header "${line}")
    cmake_path(GET source PARENT_PATH source_dir)
    cmake_path(ABSOLUTE_PATH header BASE_DIRECTORY ${source_dir} NORMALIZE OUTPUT_VARIABLE beside)
    dira_under(relative_into_testbench "${beside}" ${SOURCE_DIR}/testbench)
    if(EXISTS ${SOURCE_DIR}/testbench/${header} OR header MATCHES "^testbench/" OR
       (relative_into_testbench AND EXISTS ${beside}) OR
       header MATCHES "(^|/)(V[A-Za-z0-9_]+|verilated[a-z_]*)\\.h$")
      violation("${source} includes ${header}, a testbench or Verilator header")
    endif()
  endforeach()
endforeach()

list(LENGTH checked checked_count)
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} layering violation(s): only host/sim (dira_sim) may use the testbench and "
                      "Verilator (docs/architecture.md, \"Targets\")")
endif()
message(STATUS "layering: ${checked_count} host libraries (${checked}) and ${scanned} host sources are free of the "
               "testbench and Verilator")
