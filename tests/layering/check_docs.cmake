# Checks that docs/architecture.md and README.md describe the build as it is:
#   - every library defined under hls/, rtl/, testbench/ or host/ is named (`name`) in
#     docs/architecture.md;
#   - every `dira_...` name in docs/architecture.md is a library or program of the build;
#   - every module folder of host/ (one with a CMakeLists.txt) is named in README's "What is where".
#
#   cmake -DGRAPH=<target_links.cmake> -DSOURCE_DIR=<dira> -P check_docs.cmake
# GRAPH (written by tests/layering/CMakeLists.txt) sets DIRA_TARGETS (libraries), DIRA_PROGRAMS and
# DIRA_T_<library>_DIR.
cmake_minimum_required(VERSION 3.25)
foreach(var GRAPH SOURCE_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "check_docs.cmake: give -D${var}=...")
  endif()
endforeach()
include(${GRAPH})

set(problems 0)
macro(problem text)
  message(NOTICE "docs out of date: ${text}")
  math(EXPR problems "${problems} + 1")
endmacro()

set(page ${SOURCE_DIR}/docs/architecture.md)
file(READ ${page} architecture)
set(documented 0)
foreach(target IN LISTS DIRA_TARGETS)
  foreach(top IN ITEMS hls rtl testbench host)
    set(top_dir ${SOURCE_DIR}/${top})
    cmake_path(IS_PREFIX top_dir "${DIRA_T_${target}_DIR}" NORMALIZE under)
    if(under)
      string(FIND "${architecture}" "`${target}`" at)
      if(at EQUAL -1)
        problem("the library ${target} (${DIRA_T_${target}_DIR}) is not in ${page}")
      endif()
      math(EXPR documented "${documented} + 1")
    endif()
  endforeach()
endforeach()

string(REGEX MATCHALL "`dira_[a-z0-9_]+`" named "${architecture}")
list(REMOVE_DUPLICATES named)
foreach(quoted IN LISTS named)
  string(REPLACE "`" "" target "${quoted}")
  if(NOT target IN_LIST DIRA_TARGETS AND NOT target IN_LIST DIRA_PROGRAMS)
    problem("${page} names ${target}, which the build does not define")
  endif()
endforeach()

file(READ ${SOURCE_DIR}/README.md readme)
string(FIND "${readme}" "## What is where" map_at)
if(map_at EQUAL -1)
  problem("README.md has no section \"What is where\"")
else()
  string(SUBSTRING "${readme}" ${map_at} -1 map)
  string(FIND "${map}" "\n## " map_end)
  string(SUBSTRING "${map}" 0 ${map_end} map)
  file(GLOB module_lists ${SOURCE_DIR}/host/*/CMakeLists.txt)
  foreach(list_file IN LISTS module_lists)
    cmake_path(GET list_file PARENT_PATH module_dir)
    cmake_path(GET module_dir FILENAME module)
    if(NOT map MATCHES "[ ,(]${module}[ /,)]")
      problem("README's \"What is where\" does not name host/${module}")
    endif()
  endforeach()
endif()

if(problems GREATER 0)
  message(FATAL_ERROR "${problems} difference(s) between the build and its description")
endif()
message(STATUS "docs: ${documented} libraries in docs/architecture.md, every host module in README's map")
