#pragma once

#include <QWidget>

#include "app/gui/ladder_model.h"
#include "core/status.h"

class QComboBox;
class QLabel;
class QPushButton;

namespace podium::gui {

class PresetEditor;

/// Picks the encoding preset — the built-in ones and the user's own (encoder/preset_catalog.h),
/// listed together — and shows its ladder as a table and its description. "Duplicate and
/// edit…" opens a PresetEditor on a copy; the user's own presets can also be edited, renamed
/// and deleted. GUI thread only.
class PresetPanel : public QWidget {
    Q_OBJECT
public:
    explicit PresetPanel(QWidget* parent = nullptr);

    [[nodiscard]] QString currentPreset() const;
    void setCurrentPreset(const QString& name);
    [[nodiscard]] LadderModel* ladderModel() { return &ladder_; }
    /// Re-reads the presets (built-in and the user's folder), keeping the selection.
    void reload();

    /// Opens the editor (not modal) on a copy of the current preset, or on the current user
    /// preset itself when `duplicate` is false. Saving reloads the list and selects it.
    PresetEditor* openEditor(bool duplicate);
    /// The current user preset gets `name` (the loader's rules apply; its file is renamed).
    Result<void> renameCurrent(const QString& name);
    /// Deletes the current user preset's file; the default preset is selected.
    Result<void> deleteCurrent();

signals:
    void presetChanged(const QString& name);

private:
    void show(int index);
    void askRename();
    void askDelete();
    [[nodiscard]] const encoder::Preset* current() const;

    QComboBox* combo_ = nullptr;
    QLabel* description_ = nullptr;
    QPushButton* edit_ = nullptr;
    QPushButton* rename_ = nullptr;
    QPushButton* delete_ = nullptr;
    LadderModel ladder_;
    std::vector<encoder::Preset> presets_;
};

}  // namespace podium::gui
