#include "publisher/push/push_status.h"

namespace podium::publisher::push {

const char* pushStateName(PushState state) {
    switch (state) {
        case PushState::Connecting:
            return "connecting";
        case PushState::Live:
            return "live";
        case PushState::Retrying:
            return "retrying";
        case PushState::Failed:
            return "failed";
        case PushState::Finished:
            return "finished";
    }
    return "?";
}

}  // namespace podium::publisher::push
