#pragma once

#include <QWidget>

#include "app/gui/ladder_model.h"

class QComboBox;
class QLabel;

namespace podium::gui {

/// Picks the encoding preset (the built-in ones) and shows its ladder as a table and its
/// description. GUI thread only.
class PresetPanel : public QWidget {
    Q_OBJECT
public:
    explicit PresetPanel(QWidget* parent = nullptr);

    [[nodiscard]] QString currentPreset() const;
    void setCurrentPreset(const QString& name);
    [[nodiscard]] LadderModel* ladderModel() { return &ladder_; }

signals:
    void presetChanged(const QString& name);

private:
    void show(int index);

    QComboBox* combo_ = nullptr;
    QLabel* description_ = nullptr;
    LadderModel ladder_;
    std::vector<encoder::Preset> presets_;
};

}  // namespace podium::gui
