# Debian's split OpenCV -dev packages (libopencv-core-dev, -imgproc-dev, -videoio-dev) ship
# headers and libraries but no OpenCVConfig.cmake (that comes only with the heavy
# libopencv-dev meta package). Find the pieces directly and expose them as OpenCV_LIBS.
find_path(OpenCV_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(OpenCV_LIBS "")
foreach(module core imgproc videoio)
  find_library(OpenCV_${module}_LIBRARY opencv_${module} REQUIRED)
  if(NOT TARGET opencv::${module})
    add_library(opencv::${module} UNKNOWN IMPORTED)
    set_target_properties(opencv::${module} PROPERTIES
      IMPORTED_LOCATION ${OpenCV_${module}_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${OpenCV_INCLUDE_DIR})
  endif()
  list(APPEND OpenCV_LIBS opencv::${module})
endforeach()
