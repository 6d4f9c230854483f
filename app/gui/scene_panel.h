#pragma once

#include <QTimer>
#include <QWidget>

#include "app/session/source_spec.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace podium::gui {

/// What goes over the picture: a title (the lower third) and "Add webcam" (which camera, which
/// corner, how big). The result shows in the preview, and both may change while live.
/// Emits sceneChanged at once for the webcam, and for the title once typing pauses
/// (kTitlePauseMs) or Enter is pressed. Cameras are listed on a worker. GUI thread only.
class ScenePanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kTitlePauseMs = 400;

    explicit ScenePanel(QWidget* parent = nullptr);

    [[nodiscard]] app::SceneSettings scene() const;
    void setScene(const app::SceneSettings& scene);
    /// Re-lists the cameras.
    void refresh();

signals:
    void sceneChanged(const app::SceneSettings& scene);

private:
    void changed();
    void selectCamera(const QString& spec);

    QLineEdit* title_ = nullptr;
    QCheckBox* webcam_ = nullptr;
    QComboBox* camera_ = nullptr;
    QComboBox* corner_ = nullptr;
    QComboBox* size_ = nullptr;
    QTimer titlePause_;
    app::SceneSettings emitted_;
    QString wantedCamera_;  ///< from the settings, selected once it is listed
};

}  // namespace podium::gui
