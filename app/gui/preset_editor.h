#pragma once

#include <QDialog>

#include "app/gui/ladder_edit_model.h"
#include "encoder/preset.h"

class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace podium::gui {

/// "Duplicate and edit" / "Edit" of a preset: name, description, canvas, frame rate, segment
/// and part length, and the ladder as an editable table (LadderEditModel). Every change is
/// checked at once by the preset loader's own rules (encoder::validateUserPreset), whose words
/// are shown; Save is enabled only for a preset the loader accepts. Save writes the JSON file
/// into the user's preset folder (replacing the edited one). GUI thread only.
class PresetEditor : public QDialog {
    Q_OBJECT
public:
    /// Edits a copy of `base`. `replacingPath`: the user preset file being edited (empty for a
    /// duplicate, which gets a new name and file).
    PresetEditor(const encoder::Preset& base, QString replacingPath, QWidget* parent = nullptr);

    /// The preset as the fields describe it now (not validated).
    [[nodiscard]] encoder::Preset preset() const;
    /// The loader's verdict on preset(): empty when it would be accepted.
    [[nodiscard]] QString problem() const { return problem_; }
    /// The file written by the last successful save.
    [[nodiscard]] QString savedPath() const { return savedPath_; }

signals:
    void saved(const QString& name, const QString& path);

private:
    QWidget* buildFields();
    QWidget* buildLadder();
    void load(const encoder::Preset& preset);
    void validate();
    void save();
    void updatePartSeconds();

    encoder::Preset base_;
    QString replacingPath_;
    LadderEditModel ladder_;
    QLineEdit* name_ = nullptr;
    QLineEdit* description_ = nullptr;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QSpinBox* fpsNum_ = nullptr;
    QSpinBox* fpsDen_ = nullptr;
    QDoubleSpinBox* segment_ = nullptr;
    QSpinBox* partFrames_ = nullptr;
    QLabel* partSeconds_ = nullptr;
    QLabel* verdict_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    QString problem_;
    QString savedPath_;
};

}  // namespace podium::gui
