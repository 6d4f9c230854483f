#pragma once

#include <QWidget>

class QListWidget;
class QListWidgetItem;

namespace podium::gui {

/// Picks what to broadcast: test pattern, a file, a screen, a window or a camera, shown as
/// icon tiles. Screens, windows and cameras are listed on a worker (capture::listSources can
/// take a few hundred ms) and added when known. Emits sourceChanged with a SourceSpec text
/// ("testpattern", "file:/x.mp4:loop", "screen::0", "window:0x3a00007", "camera:/dev/video0").
/// GUI thread only.
class SourcePicker : public QWidget {
    Q_OBJECT
public:
    explicit SourcePicker(QWidget* parent = nullptr);

    [[nodiscard]] QString currentSpec() const;
    /// Selects the tile for `spec` (adding a tile for a file or device not listed yet).
    void setCurrentSpec(const QString& spec);
    /// Re-lists screens, windows and cameras.
    void refresh();

signals:
    void sourceChanged(const QString& spec);

private:
    QListWidgetItem* addTile(const QString& label, const QString& spec, const QIcon& icon);
    QListWidgetItem* findTile(const QString& spec) const;
    void onItemActivated(QListWidgetItem* item);

    QListWidget* list_ = nullptr;
    QString current_;
};

}  // namespace podium::gui
