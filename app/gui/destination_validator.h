#pragma once

#include <QValidator>

namespace podium::gui {

/// Refuses a malformed publishing-point URL in the form (parseDestination): Intermediate while
/// it is not a usable URL, so the Add button stays disabled and a message says why.
/// GUI thread only.
class DestinationValidator : public QValidator {
    Q_OBJECT
public:
    using QValidator::QValidator;
    State validate(QString& input, int& pos) const override;
};

}  // namespace podium::gui
