# Run at install time (install(SCRIPT) in CMakeLists.txt, after the
# libraries): a program linked against liblode.so finds it only once the
# loader's cache knows it, so run ldconfig when the library went to a
# directory the loader searches -- as root, and not into a staging DESTDIR
# (a package runs ldconfig when it is installed). Otherwise say how the
# library is found. LODE_LIBDIR is the library directory under the prefix.
set(libdir "${CMAKE_INSTALL_PREFIX}/${LODE_LIBDIR}")
file(REAL_PATH "${libdir}" libdir_real)
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
find_program(LDCONFIG ldconfig PATHS /sbin /usr/sbin)

# Is libdir one of the directories ldconfig caches? (-N: only list them.)
set(searched FALSE)
if(LDCONFIG)
  execute_process(COMMAND ${LDCONFIG} -N -v OUTPUT_VARIABLE dirs ERROR_QUIET)
  string(REGEX MATCHALL "(^|\n)/[^:\n]*:" dirs "${dirs}")
  foreach(dir IN LISTS dirs)
    string(REGEX REPLACE "^\n?(.*):$" "\\1" dir "${dir}")
    file(REAL_PATH "${dir}" dir)
    if(dir STREQUAL libdir_real)
      set(searched TRUE)
    endif()
  endforeach()
endif()

if(NOT "$ENV{DESTDIR}" STREQUAL "")
  # a staged install: the package's own scripts run ldconfig
elseif(searched AND uid STREQUAL "0")
  message(STATUS "Running ldconfig: liblode is in ${libdir}")
  execute_process(COMMAND ${LDCONFIG} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(WARNING "ldconfig failed (${rc}): run it as root before linking against liblode")
  endif()
elseif(searched)
  message(STATUS "liblode is in ${libdir}: run ldconfig as root before running programs linked against it")
else()
  message(STATUS "liblode is in ${libdir}, which the loader does not search: "
                 "link programs with -Wl,-rpath,${libdir} or set LD_LIBRARY_PATH")
endif()
