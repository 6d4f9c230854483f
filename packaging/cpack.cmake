# CPack: one Debian package "podium" with the desktop app (podium), the headless encoder
# (podium-cli), the standalone origin (podium-origin) and its systemd unit.
#   cmake --build build/release --target package     -> build/release/podium_<ver>_<arch>.deb
include(GNUInstallDirs)

install(FILES ${CMAKE_CURRENT_LIST_DIR}/podium.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/podium.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/podium.png
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/256x256/apps)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/podium-origin.service
        DESTINATION lib/systemd/system)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "podium")
set(CPACK_PACKAGE_VENDOR "Podium")
set(CPACK_PACKAGE_CONTACT "Podium maintainers <podium@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Desktop broadcasting studio: capture, adaptive H.264/AAC ladder, CMAF/HLS/DASH/Smooth")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
if(NOT CPACK_PACKAGE_VERSION)
  set(CPACK_PACKAGE_VERSION "0.1.0")
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "video")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps derives Qt/x264/FFmpeg/OpenCV deps
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ffmpeg")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
include(CPack)
