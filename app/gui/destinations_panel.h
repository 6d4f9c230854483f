#pragma once

#include <QWidget>

#include "app/gui/destination_model.h"

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace podium::gui {

class AppSettings;

/// Where the broadcast goes: the local origin (on by default; LAN sharing, port, viewer
/// passcode), an archive folder, and remote publishing points (URL with the protocol inferred
/// and shown, credentials). A malformed URL is refused here, with a message, never at Start.
/// Every change is written to AppSettings at once. GUI thread only.
class DestinationsPanel : public QWidget {
    Q_OBJECT
public:
    DestinationsPanel(AppSettings& settings, QWidget* parent = nullptr);

    /// Locks the fields that cannot change while live.
    void setLive(bool live);
    [[nodiscard]] DestinationModel* destinationModel() { return &model_; }

private:
    QWidget* buildOrigin();
    QWidget* buildArchive();
    QWidget* buildRemote();
    void load();
    void checkUrl();
    void addDestination();

    AppSettings& settings_;
    DestinationModel model_;
    QGroupBox* origin_ = nullptr;
    QCheckBox* share_ = nullptr;
    QCheckBox* latencyProbe_ = nullptr;
    QSpinBox* port_ = nullptr;
    QLineEdit* passcode_ = nullptr;
    QGroupBox* archive_ = nullptr;
    QLineEdit* archiveRoot_ = nullptr;
    QGroupBox* remote_ = nullptr;
    QLineEdit* url_ = nullptr;
    QLineEdit* user_ = nullptr;
    QLineEdit* password_ = nullptr;
    QLabel* urlMessage_ = nullptr;
    QPushButton* add_ = nullptr;
};

}  // namespace podium::gui
