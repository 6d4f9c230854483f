#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "capture/unique_fd.h"
#include "core/status.h"

namespace podium::capture {

/// Byte order of a 4-byte pixel as it lies in memory (PipeWire's SPA names).
enum class PixelLayout { Bgrx = 1, Rgbx, Xrgb, Xbgr, Bgra, Rgba };

const char* pixelLayoutName(PixelLayout layout);

/// One picture as PipeWire handed it over. Valid only during the frame callback: the memory
/// goes back to the producer when it returns.
struct PipeWireFrame {
    const uint8_t* pixels = nullptr;  ///< first byte of the (cropped) picture
    int width = 0;                    ///< pixels
    int height = 0;
    int stride = 0;  ///< bytes from one row to the next (>= width * 4)
    PixelLayout layout = PixelLayout::Bgrx;
    int64_t ptsNs = -1;     ///< producer's capture time (CLOCK_MONOTONIC ns); -1 = none given
    int64_t arrivalNs = 0;  ///< CLOCK_MONOTONIC ns when the frame reached us
};

struct PipeWireStreamConfig {
    static constexpr uint32_t kAnyNode = 0xffffffffu;

    /// A connection from the ScreenCast portal (OpenPipeWireRemote). Invalid: the default
    /// PipeWire daemon of this user ($PIPEWIRE_RUNTIME_DIR / $XDG_RUNTIME_DIR).
    UniqueFd remote;
    uint32_t nodeId = kAnyNode;                  ///< the node to read (the portal's stream)
    std::string targetObject;                    ///< or a node by name / serial (target.object)
    std::string name = "Podium screen capture";  ///< node.name of our stream
    /// Let the session manager (WirePlumber) link us to the target. Off: someone links us by
    /// hand (pw-link), as a test does when the target is not one the policy links to.
    bool autoconnect = true;
    int maxFpsNum = 30;  ///< the most frames per second wanted from the producer
    int maxFpsDen = 1;
};

/// A video capture stream from a PipeWire node (libpipewire-0.3) on its own pw_thread_loop:
/// negotiates 4-byte RGB shared-memory buffers (BGRx, RGBx, xRGB, xBGR, BGRA, RGBA; DMA-BUF is
/// not offered), checks every size the producer states against the mapped memory, and hands
/// the newest picture of each cycle to the frame callback on the loop thread (older queued
/// ones are returned unread). Callbacks run inside podium::runGuarded. Thread-safe getters.
class PipeWireStream {
public:
    enum class State { Connecting = 1, Paused, Streaming, Ended, Failed };
    using FrameHandler = std::function<void(const PipeWireFrame&)>;

    /// Connects and starts negotiating; frames follow asynchronously. Fails when PipeWire
    /// cannot be reached.
    static Result<std::unique_ptr<PipeWireStream>> connect(PipeWireStreamConfig config,
                                                           FrameHandler onFrame);
    /// Disconnects and stops the loop thread: no callback runs after it returns.
    ~PipeWireStream();
    PipeWireStream(const PipeWireStream&) = delete;
    PipeWireStream& operator=(const PipeWireStream&) = delete;

    [[nodiscard]] State state() const;
    /// Why the stream is Ended or Failed, in words; nullopt while it lasts.
    [[nodiscard]] std::optional<Status> ended() const;

    struct Format {
        int width = 0;
        int height = 0;
        std::string pixelFormat;  ///< e.g. "BGRx"; empty before negotiation
        int fpsNum = 0;
        int fpsDen = 1;
    };
    [[nodiscard]] Format format() const;

    struct Stats {
        int64_t frames = 0;    ///< pictures handed to the callback
        int64_t skipped = 0;   ///< older pictures of a cycle returned unread
        int64_t rejected = 0;  ///< buffers refused: corrupted, unmapped or inconsistent sizes
    };
    [[nodiscard]] Stats stats() const;

    /// For the C callbacks (internal).
    struct Impl;

private:
    explicit PipeWireStream(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace podium::capture
