#include "publisher/push/push_factory.h"

#include "publisher/push/cmaf_ingest_push.h"
#include "publisher/push/hls_dash_put.h"
#include "publisher/push/smooth_push.h"

namespace podium::publisher::push {

Result<std::unique_ptr<PushSink>> makePushSink(const PushTarget& target,
                                               const PushOptions& options) {
    if (target.url.empty()) {
        return makeError(ErrorCode::InvalidArgument, "publishing point URL is empty");
    }
    switch (target.protocol) {
        case PushTarget::Protocol::Smooth:
            return std::make_unique<SmoothPush>(target, options);
        case PushTarget::Protocol::Cmaf:
            return makeCmafIngestPush(target, options);
        case PushTarget::Protocol::Hls:
        case PushTarget::Protocol::Dash:
            return makeHlsDashPut(target, options);
    }
    return makeError(ErrorCode::InvalidArgument, "unknown publishing protocol");
}

}  // namespace podium::publisher::push
