#include "app/gui/destination_validator.h"

#include "app/gui/remote_destination.h"

namespace podium::gui {

QValidator::State DestinationValidator::validate(QString& input, int& /*pos*/) const {
    return parseDestination(input).ok ? Acceptable : Intermediate;
}

}  // namespace podium::gui
