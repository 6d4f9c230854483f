#include "pipewire_stream.h"

#include <pipewire/pipewire.h>
#include <spa/buffer/meta.h>
#include <spa/param/video/format-utils.h>
#include <spa/utils/result.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>

#include "core/log.h"
#include "core/thread.h"

namespace podium::capture {
namespace {

constexpr const char* kComponent = "pipewire";

int64_t monotonicNs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::optional<PixelLayout> layoutOf(uint32_t spaFormat) {
    switch (spaFormat) {
        case SPA_VIDEO_FORMAT_BGRx:
            return PixelLayout::Bgrx;
        case SPA_VIDEO_FORMAT_RGBx:
            return PixelLayout::Rgbx;
        case SPA_VIDEO_FORMAT_xRGB:
            return PixelLayout::Xrgb;
        case SPA_VIDEO_FORMAT_xBGR:
            return PixelLayout::Xbgr;
        case SPA_VIDEO_FORMAT_BGRA:
            return PixelLayout::Bgra;
        case SPA_VIDEO_FORMAT_RGBA:
            return PixelLayout::Rgba;
        default:
            return std::nullopt;
    }
}

void initPipeWireOnce() {
    static std::once_flag once;
    std::call_once(once, [] { pw_init(nullptr, nullptr); });
}

}  // namespace

const char* pixelLayoutName(PixelLayout layout) {
    switch (layout) {
        case PixelLayout::Bgrx:
            return "BGRx";
        case PixelLayout::Rgbx:
            return "RGBx";
        case PixelLayout::Xrgb:
            return "xRGB";
        case PixelLayout::Xbgr:
            return "xBGR";
        case PixelLayout::Bgra:
            return "BGRA";
        case PixelLayout::Rgba:
            return "RGBA";
    }
    return "?";
}

struct PipeWireStream::Impl {
    PipeWireStreamConfig config;
    FrameHandler onFrame;

    pw_thread_loop* loop = nullptr;
    pw_context* context = nullptr;
    pw_core* core = nullptr;
    spa_hook coreListener{};
    pw_stream* stream = nullptr;
    spa_hook streamListener{};
    pw_registry* registry = nullptr;
    spa_hook registryListener{};
    uint32_t targetId = PW_ID_ANY;  // the node we read, once seen in the registry (loop thread)

    std::atomic<State> state{State::Connecting};
    std::atomic<int64_t> frames{0};
    std::atomic<int64_t> skipped{0};
    std::atomic<int64_t> rejected{0};
    mutable std::mutex mutex;  // guards endedReason and format
    std::optional<Status> endedReason;
    Format format;
    std::optional<PixelLayout> layout;  // loop thread only
    RateLimitedLog problems{kComponent};

    void finish(State final, Status why) {
        {
            std::lock_guard lock(mutex);
            if (endedReason) {
                return;
            }
            endedReason = why;
        }
        state = final;
        logWarning(kComponent, why.toString());
    }

    // ---- callbacks, on the loop thread
    static void onStateChanged(void* data, pw_stream_state old, pw_stream_state now,
                               const char* error) noexcept;
    static void onParamChanged(void* data, uint32_t id, const spa_pod* param) noexcept;
    static void onProcess(void* data) noexcept;
    static void onCoreError(void* data, uint32_t id, int seq, int res,
                            const char* message) noexcept;
    static void onGlobal(void* data, uint32_t id, uint32_t permissions, const char* type,
                         uint32_t version, const spa_dict* props) noexcept;
    static void onGlobalRemove(void* data, uint32_t id) noexcept;

    void stateChanged(pw_stream_state old, pw_stream_state now, const char* error);
    void paramChanged(uint32_t id, const spa_pod* param);
    void process();
    void deliver(pw_buffer* buffer);
};

namespace {

const pw_stream_events kStreamEvents = [] {
    pw_stream_events e{};
    e.version = PW_VERSION_STREAM_EVENTS;
    e.state_changed = &PipeWireStream::Impl::onStateChanged;
    e.param_changed = &PipeWireStream::Impl::onParamChanged;
    e.process = &PipeWireStream::Impl::onProcess;
    return e;
}();

const pw_core_events kCoreEvents = [] {
    pw_core_events e{};
    e.version = PW_VERSION_CORE_EVENTS;
    e.error = &PipeWireStream::Impl::onCoreError;
    return e;
}();

const pw_registry_events kRegistryEvents = [] {
    pw_registry_events e{};
    e.version = PW_VERSION_REGISTRY_EVENTS;
    e.global = &PipeWireStream::Impl::onGlobal;
    e.global_remove = &PipeWireStream::Impl::onGlobalRemove;
    return e;
}();

}  // namespace

// The node we read going away ends the stream whatever the session manager does with us (with
// WirePlumber our stream is also unlinked and destroyed; linked by hand it would only pause).
void PipeWireStream::Impl::onGlobal(void* data, uint32_t id, uint32_t /*permissions*/,
                                    const char* type, uint32_t /*version*/,
                                    const spa_dict* props) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] {
        if (type == nullptr || std::strcmp(type, PW_TYPE_INTERFACE_Node) != 0) {
            return;
        }
        const char* name = props ? spa_dict_lookup(props, PW_KEY_NODE_NAME) : nullptr;
        const bool byId = id == self->config.nodeId;
        const bool byName = !self->config.targetObject.empty() && name != nullptr &&
                            self->config.targetObject == name;
        if (byId || byName) {
            self->targetId = id;
        }
    });
}

void PipeWireStream::Impl::onGlobalRemove(void* data, uint32_t id) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] {
        if (id == self->targetId) {
            self->finish(State::Ended, Status(ErrorCode::Unavailable,
                                              "the shared PipeWire stream ended (its node went "
                                              "away)"));
        }
    });
}

void PipeWireStream::Impl::onStateChanged(void* data, pw_stream_state old, pw_stream_state now,
                                          const char* error) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] { self->stateChanged(old, now, error); });
}

void PipeWireStream::Impl::onParamChanged(void* data, uint32_t id, const spa_pod* param) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] { self->paramChanged(id, param); });
}

void PipeWireStream::Impl::onProcess(void* data) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] { self->process(); });
}

void PipeWireStream::Impl::onCoreError(void* data, uint32_t id, int /*seq*/, int res,
                                       const char* message) noexcept {
    auto* self = static_cast<Impl*>(data);
    runGuarded(kComponent, [&] {
        const std::string text = message ? message : spa_strerror(res);
        if (id != PW_ID_CORE) {
            logWarning(kComponent, "object " + std::to_string(id) + ": " + text);
            return;
        }
        self->finish(State::Failed,
                     Status(ErrorCode::Unavailable,
                            res == -EPIPE ? "PipeWire went away (its connection closed)"
                                          : "PipeWire: " + text));
    });
}

void PipeWireStream::Impl::stateChanged(pw_stream_state old, pw_stream_state now,
                                        const char* error) {
    logDebug(kComponent, std::string("stream ") + pw_stream_state_as_string(old) + " -> " +
                             pw_stream_state_as_string(now));
    switch (now) {
        case PW_STREAM_STATE_ERROR:
            finish(State::Failed,
                   Status(ErrorCode::Unavailable, std::string("PipeWire stream failed: ") +
                                                      (error ? error : "unknown error")));
            break;
        case PW_STREAM_STATE_UNCONNECTED:
            finish(State::Ended,
                   Status(ErrorCode::Unavailable, old == PW_STREAM_STATE_CONNECTING
                                                      ? "the shared PipeWire stream is not there"
                                                      : "the shared PipeWire stream ended"));
            break;
        case PW_STREAM_STATE_PAUSED:
            if (state.load() != State::Ended && state.load() != State::Failed) {
                state = State::Paused;
            }
            break;
        case PW_STREAM_STATE_STREAMING:
            if (state.load() != State::Ended && state.load() != State::Failed) {
                state = State::Streaming;
            }
            break;
        case PW_STREAM_STATE_CONNECTING:
            break;
    }
}

void PipeWireStream::Impl::paramChanged(uint32_t id, const spa_pod* param) {
    if (param == nullptr || id != SPA_PARAM_Format) {
        return;
    }
    uint32_t mediaType = 0;
    uint32_t mediaSubtype = 0;
    if (spa_format_parse(param, &mediaType, &mediaSubtype) < 0 ||
        mediaType != SPA_MEDIA_TYPE_video || mediaSubtype != SPA_MEDIA_SUBTYPE_raw) {
        return;
    }
    spa_video_info_raw info{};
    if (spa_format_video_raw_parse(param, &info) < 0) {
        return;
    }
    layout = layoutOf(info.format);
    {
        std::lock_guard lock(mutex);
        format.width = int(info.size.width);
        format.height = int(info.size.height);
        format.pixelFormat = layout ? pixelLayoutName(*layout) : "unsupported";
        format.fpsNum = int(info.framerate.num);
        format.fpsDen = int(info.framerate.denom == 0 ? 1 : info.framerate.denom);
        if (format.fpsNum == 0) {  // variable rate: the cap we asked for
            format.fpsNum = int(info.max_framerate.num);
            format.fpsDen = int(info.max_framerate.denom == 0 ? 1 : info.max_framerate.denom);
        }
    }
    logInfo(kComponent, "negotiated " + std::string(layout ? pixelLayoutName(*layout) : "?") + " " +
                            std::to_string(info.size.width) + "x" +
                            std::to_string(info.size.height) + ", shared memory");

    // Buffers in shared memory (mapped by the stream), with the header (timestamps, flags) and
    // the crop region when the producer sends one.
    uint8_t storage[1024];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(storage, sizeof storage);
    const spa_pod* params[3];
    params[0] = static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers, SPA_PARAM_BUFFERS_dataType,
        SPA_POD_Int((1 << SPA_DATA_MemPtr) | (1 << SPA_DATA_MemFd))));
    params[1] = static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
        SPA_POD_Id(SPA_META_Header), SPA_PARAM_META_size, SPA_POD_Int(sizeof(spa_meta_header))));
    params[2] = static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta, SPA_PARAM_META_type,
        SPA_POD_Id(SPA_META_VideoCrop), SPA_PARAM_META_size, SPA_POD_Int(sizeof(spa_meta_region))));
    pw_stream_update_params(stream, params, 3);
}

void PipeWireStream::Impl::process() {
    // Keep only the newest picture of this cycle.
    pw_buffer* newest = nullptr;
    while (pw_buffer* next = pw_stream_dequeue_buffer(stream)) {
        if (newest != nullptr) {
            pw_stream_queue_buffer(stream, newest);
            ++skipped;
        }
        newest = next;
    }
    if (newest == nullptr) {
        return;
    }
    deliver(newest);
    pw_stream_queue_buffer(stream, newest);
}

void PipeWireStream::Impl::deliver(pw_buffer* buffer) {
    const spa_buffer* buf = buffer->buffer;
    const auto reject = [this](const std::string& why) {
        ++rejected;
        problems.hit(LogLevel::Warning, "buffer refused: " + why);
    };
    if (!layout) {
        return reject("no supported pixel format was negotiated");
    }
    if (buf == nullptr || buf->n_datas < 1 || buf->datas[0].chunk == nullptr) {
        return reject("no data");
    }
    const auto* header = static_cast<const spa_meta_header*>(
        spa_buffer_find_meta_data(buf, SPA_META_Header, sizeof(spa_meta_header)));
    if (header != nullptr && (header->flags & SPA_META_HEADER_FLAG_CORRUPTED)) {
        return reject("marked corrupted");
    }
    const spa_data& d = buf->datas[0];
    if (d.data == nullptr) {
        return reject("not mapped (DMA-BUF is not supported)");
    }
    if (d.chunk->flags & SPA_CHUNK_FLAG_CORRUPTED) {
        return reject("chunk marked corrupted");
    }
    int width = 0;
    int height = 0;
    {
        std::lock_guard lock(mutex);
        width = format.width;
        height = format.height;
    }
    if (width <= 0 || height <= 0) {
        return reject("no picture size");
    }
    // Every number below comes from the producer: check it against the mapped bytes.
    const uint64_t rowBytes = uint64_t(width) * 4;
    const uint64_t stride = d.chunk->stride > 0 ? uint64_t(d.chunk->stride) : rowBytes;
    const uint64_t offset = d.chunk->offset;
    if (d.chunk->stride < 0 || stride < rowBytes ||
        offset + stride * uint64_t(height - 1) + rowBytes > uint64_t(d.maxsize)) {
        return reject("sizes outside the buffer (" + std::to_string(width) + "x" +
                      std::to_string(height) + ", stride " + std::to_string(d.chunk->stride) +
                      ", offset " + std::to_string(offset) + ", " + std::to_string(d.maxsize) +
                      " bytes)");
    }
    PipeWireFrame frame;
    frame.pixels = static_cast<const uint8_t*>(d.data) + offset;
    frame.width = width;
    frame.height = height;
    frame.stride = int(stride);
    frame.layout = *layout;
    frame.arrivalNs = monotonicNs();
    frame.ptsNs = header != nullptr && header->pts > 0 ? header->pts : -1;
    const auto* crop = static_cast<const spa_meta_region*>(
        spa_buffer_find_meta_data(buf, SPA_META_VideoCrop, sizeof(spa_meta_region)));
    if (crop != nullptr && spa_meta_region_is_valid(crop)) {
        const int64_t x = crop->region.position.x;
        const int64_t y = crop->region.position.y;
        const int64_t w = crop->region.size.width;
        const int64_t h = crop->region.size.height;
        if (x >= 0 && y >= 0 && w >= 2 && h >= 2 && x + w <= width && y + h <= height) {
            frame.pixels += uint64_t(y) * stride + uint64_t(x) * 4;
            frame.width = int(w);
            frame.height = int(h);
        }
    }
    ++frames;
    if (onFrame) {
        onFrame(frame);
    }
}

// ---------------------------------------------------------------- PipeWireStream

PipeWireStream::PipeWireStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<PipeWireStream>> PipeWireStream::connect(PipeWireStreamConfig config,
                                                                FrameHandler onFrame) {
    initPipeWireOnce();
    auto impl = std::make_unique<Impl>();
    impl->config = std::move(config);
    impl->onFrame = std::move(onFrame);
    Impl& s = *impl;
    // From here the destructor cleans up whatever was made.
    std::unique_ptr<PipeWireStream> self(new PipeWireStream(std::move(impl)));

    s.loop = pw_thread_loop_new("podium-pipewire", nullptr);
    if (s.loop == nullptr) {
        return makeError(ErrorCode::Internal, "PipeWire: cannot create its loop");
    }
    s.context = pw_context_new(pw_thread_loop_get_loop(s.loop), nullptr, 0);
    if (s.context == nullptr) {
        return makeError(ErrorCode::Internal, "PipeWire: cannot create a context");
    }
    if (pw_thread_loop_start(s.loop) < 0) {
        return makeError(ErrorCode::Internal, "PipeWire: cannot start its loop thread");
    }
    pw_thread_loop_lock(s.loop);
    const bool viaPortal = s.config.remote.valid();
    // connect_fd owns the descriptor from here, even when it fails.
    s.core = viaPortal ? pw_context_connect_fd(s.context, s.config.remote.release(), nullptr, 0)
                       : pw_context_connect(s.context, nullptr, 0);
    if (s.core == nullptr) {
        const int err = errno;
        pw_thread_loop_unlock(s.loop);
        return makeError(ErrorCode::Unavailable,
                         std::string("cannot connect to PipeWire") +
                             (viaPortal ? " through the portal's connection" : "") + ": " +
                             std::strerror(err));
    }
    pw_core_add_listener(s.core, &s.coreListener, &kCoreEvents, &s);
    s.registry = pw_core_get_registry(s.core, PW_VERSION_REGISTRY, 0);
    if (s.registry != nullptr) {
        pw_registry_add_listener(s.registry, &s.registryListener, &kRegistryEvents, &s);
    }

    pw_properties* props = pw_properties_new(PW_KEY_MEDIA_TYPE, "Video", PW_KEY_MEDIA_CATEGORY,
                                             "Capture", PW_KEY_MEDIA_ROLE, "Screen", nullptr);
    pw_properties_set(props, PW_KEY_NODE_NAME, s.config.name.c_str());
    if (!s.config.targetObject.empty()) {
        pw_properties_set(props, PW_KEY_TARGET_OBJECT, s.config.targetObject.c_str());
    }
    s.stream = pw_stream_new(s.core, s.config.name.c_str(), props);
    if (s.stream == nullptr) {
        pw_thread_loop_unlock(s.loop);
        return makeError(ErrorCode::Internal, "PipeWire: cannot create a stream");
    }
    pw_stream_add_listener(s.stream, &s.streamListener, &kStreamEvents, &s);

    // What we take: raw video in a 4-byte RGB order, any size, up to the wanted frame rate.
    uint8_t storage[1024];
    spa_pod_builder b = SPA_POD_BUILDER_INIT(storage, sizeof storage);
    spa_rectangle size{1920, 1080};
    spa_rectangle minSize{1, 1};
    spa_rectangle maxSize{16384, 16384};
    spa_fraction rate{0, 1};
    spa_fraction minRate{0, 1};
    spa_fraction maxRate{1000, 1};
    spa_fraction cap{uint32_t(std::max(1, s.config.maxFpsNum)),
                     uint32_t(std::max(1, s.config.maxFpsDen))};
    spa_fraction minCap{1, 1};
    const spa_pod* params[1];
    params[0] = static_cast<const spa_pod*>(spa_pod_builder_add_object(
        &b, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat, SPA_FORMAT_mediaType,
        SPA_POD_Id(SPA_MEDIA_TYPE_video), SPA_FORMAT_mediaSubtype,
        SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw), SPA_FORMAT_VIDEO_format,
        SPA_POD_CHOICE_ENUM_Id(7, SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRx,
                               SPA_VIDEO_FORMAT_RGBx, SPA_VIDEO_FORMAT_xRGB, SPA_VIDEO_FORMAT_xBGR,
                               SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBA),
        SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle(&size, &minSize, &maxSize),
        SPA_FORMAT_VIDEO_framerate, SPA_POD_CHOICE_RANGE_Fraction(&rate, &minRate, &maxRate),
        SPA_FORMAT_VIDEO_maxFramerate, SPA_POD_CHOICE_RANGE_Fraction(&cap, &minCap, &cap)));
    // Never re-linked to another node when the shared one goes: that is the end of sharing.
    const auto flags = pw_stream_flags((s.config.autoconnect ? PW_STREAM_FLAG_AUTOCONNECT : 0) |
                                       PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_DONT_RECONNECT);
    const uint32_t target = s.config.targetObject.empty() ? s.config.nodeId : PW_ID_ANY;
    const int r = pw_stream_connect(s.stream, PW_DIRECTION_INPUT, target, flags, params, 1);
    pw_thread_loop_unlock(s.loop);
    if (r < 0) {
        return makeError(ErrorCode::Unavailable,
                         std::string("PipeWire: cannot connect the stream: ") + spa_strerror(r));
    }
    return self;
}

PipeWireStream::~PipeWireStream() {
    Impl& s = *impl_;
    if (s.loop != nullptr) {
        pw_thread_loop_lock(s.loop);
        if (s.registry != nullptr) {
            spa_hook_remove(&s.registryListener);
            pw_proxy_destroy(reinterpret_cast<pw_proxy*>(s.registry));
            s.registry = nullptr;
        }
        if (s.stream != nullptr) {
            spa_hook_remove(&s.streamListener);
            pw_stream_destroy(s.stream);
            s.stream = nullptr;
        }
        if (s.core != nullptr) {
            spa_hook_remove(&s.coreListener);
            pw_core_disconnect(s.core);
            s.core = nullptr;
        }
        pw_thread_loop_unlock(s.loop);
        pw_thread_loop_stop(s.loop);
    }
    if (s.context != nullptr) {
        pw_context_destroy(s.context);
    }
    if (s.loop != nullptr) {
        pw_thread_loop_destroy(s.loop);
    }
}

PipeWireStream::State PipeWireStream::state() const {
    return impl_->state.load();
}

std::optional<Status> PipeWireStream::ended() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->endedReason;
}

PipeWireStream::Format PipeWireStream::format() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->format;
}

PipeWireStream::Stats PipeWireStream::stats() const {
    return {impl_->frames.load(), impl_->skipped.load(), impl_->rejected.load()};
}

}  // namespace podium::capture
