#include "app/gui/preset_panel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace podium::gui {

PresetPanel::PresetPanel(QWidget* parent) : QWidget(parent), presets_(encoder::builtinPresets()) {
    combo_ = new QComboBox(this);
    combo_->setObjectName("presetCombo");
    for (const auto& p : presets_) {
        combo_->addItem(QString::fromStdString(p.name));
    }
    description_ = new QLabel(this);
    description_->setWordWrap(true);
    auto* table = new QTableView(this);
    table->setObjectName("ladderTable");
    table->setModel(&ladder_);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setMinimumHeight(130);
    table->setMaximumHeight(150);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(combo_);
    layout->addWidget(description_);
    layout->addWidget(table);
    connect(combo_, &QComboBox::currentIndexChanged, this, &PresetPanel::show);
    show(combo_->currentIndex());
}

QString PresetPanel::currentPreset() const {
    return combo_->currentText();
}

void PresetPanel::setCurrentPreset(const QString& name) {
    const int index = combo_->findText(name, Qt::MatchFixedString);
    if (index >= 0) {
        combo_->setCurrentIndex(index);
    }
}

void PresetPanel::show(int index) {
    if (index < 0 || size_t(index) >= presets_.size()) {
        return;
    }
    const auto& p = presets_[size_t(index)];
    ladder_.setPreset(p);
    description_->setText(tr("%1 — %2×%3 at %4 fps, %5 s segments, x264 %6")
                              .arg(QString::fromStdString(p.description))
                              .arg(p.canvasWidth)
                              .arg(p.canvasHeight)
                              .arg(double(p.fpsNum) / p.fpsDen, 0, 'g', 4)
                              .arg(p.segmentSeconds)
                              .arg(QString::fromStdString(p.x264Preset)));
    emit presetChanged(combo_->currentText());
}

}  // namespace podium::gui
