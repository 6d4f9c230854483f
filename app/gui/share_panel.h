#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;

namespace podium::gui {

/// Shown once live with a local origin: the viewer link, a Copy button and a QR code for
/// phones. GUI thread only.
class SharePanel : public QGroupBox {
    Q_OBJECT
public:
    explicit SharePanel(QWidget* parent = nullptr);
    /// Shows `url` (hides the panel when empty).
    void setViewerUrl(const QString& url);
    [[nodiscard]] QString viewerUrl() const;

private:
    QLineEdit* url_ = nullptr;
    QLabel* qr_ = nullptr;
    QLabel* hint_ = nullptr;
};

}  // namespace podium::gui
