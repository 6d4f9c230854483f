#pragma once

namespace podium::capture {

/// A window or area in root-window (screen) coordinates, pixels.
struct ScreenRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    friend bool operator==(const ScreenRect&, const ScreenRect&) = default;
};

}  // namespace podium::capture
