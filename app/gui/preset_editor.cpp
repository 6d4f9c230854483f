#include "app/gui/preset_editor.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "encoder/preset_catalog.h"

namespace podium::gui {

namespace {

QSpinBox* spin(QWidget* parent, const char* name, int min, int max, const QString& suffix = {}) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(min, max);
    box->setSuffix(suffix);
    return box;
}

/// Two widgets side by side with a word between them ("1280 × 720").
QWidget* pair(QWidget* a, const QString& between, QWidget* b, QWidget* parent) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(a);
    layout->addWidget(new QLabel(between, row));
    layout->addWidget(b);
    layout->addStretch(1);
    return row;
}

}  // namespace

PresetEditor::PresetEditor(const encoder::Preset& base, QString replacingPath, QWidget* parent)
    : QDialog(parent), base_(base), replacingPath_(std::move(replacingPath)) {
    setObjectName("presetEditor");
    setWindowTitle(replacingPath_.isEmpty()
                       ? tr("New preset from “%1”").arg(QString::fromStdString(base.name))
                       : tr("Edit preset “%1”").arg(QString::fromStdString(base.name)));
    verdict_ = new QLabel(this);
    verdict_->setObjectName("presetProblem");
    verdict_->setWordWrap(true);
    verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Save)->setObjectName("savePreset");
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildFields());
    layout->addWidget(buildLadder(), 1);
    layout->addWidget(verdict_);
    layout->addWidget(buttons_);
    connect(buttons_, &QDialogButtonBox::accepted, this, &PresetEditor::save);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

    encoder::Preset start = base;
    if (replacingPath_.isEmpty()) {
        start.name = tr("%1 (mine)").arg(QString::fromStdString(base.name)).toStdString();
    }
    load(start);
    resize(620, 560);
}

QWidget* PresetEditor::buildFields() {
    auto* fields = new QWidget(this);
    name_ = new QLineEdit(fields);
    name_->setObjectName("presetName");
    description_ = new QLineEdit(fields);
    description_->setObjectName("presetDescription");
    width_ = spin(fields, "canvasWidth", 0, 16384, tr(" px"));
    height_ = spin(fields, "canvasHeight", 0, 16384, tr(" px"));
    fpsNum_ = spin(fields, "fpsNum", 1, 240000);
    fpsDen_ = spin(fields, "fpsDen", 1, 100000);
    segment_ = new QDoubleSpinBox(fields);
    segment_->setObjectName("segmentSeconds");
    segment_->setRange(0, 100);
    segment_->setDecimals(3);
    segment_->setSuffix(tr(" s"));
    partFrames_ = spin(fields, "partFrames", 1, 10000, tr(" frames"));
    partSeconds_ = new QLabel(fields);
    auto* partRow = new QWidget(fields);
    auto* partLayout = new QHBoxLayout(partRow);
    partLayout->setContentsMargins(0, 0, 0, 0);
    partLayout->addWidget(partFrames_);
    partLayout->addWidget(partSeconds_);
    partLayout->addStretch(1);

    auto* form = new QFormLayout(fields);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Description"), description_);
    form->addRow(tr("Canvas"), pair(width_, "×", height_, fields));
    form->addRow(tr("Frame rate"), pair(fpsNum_, tr("frames per"), fpsDen_, fields));
    form->addRow(tr("Segment"), segment_);
    form->addRow(tr("LL-HLS part"), partRow);

    for (QLineEdit* edit : {name_, description_}) {
        connect(edit, &QLineEdit::textChanged, this, &PresetEditor::validate);
    }
    for (QSpinBox* box : {width_, height_, fpsNum_, fpsDen_, partFrames_}) {
        connect(box, &QSpinBox::valueChanged, this, &PresetEditor::validate);
    }
    connect(segment_, &QDoubleSpinBox::valueChanged, this, &PresetEditor::validate);
    return fields;
}

QWidget* PresetEditor::buildLadder() {
    auto* box = new QWidget(this);
    auto* table = new QTableView(box);
    table->setObjectName("ladderEditor");
    table->setModel(&ladder_);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    auto* add = new QPushButton(tr("Add a rendition"), box);
    add->setObjectName("addRendition");
    auto* remove = new QPushButton(tr("Remove"), box);
    remove->setObjectName("removeRendition");
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Ladder (highest first)"), box));
    layout->addWidget(table, 1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this, table] {
        const int row =
            table->currentIndex().isValid() ? table->currentIndex().row() + 1 : ladder_.rowCount();
        ladder_.insertRow(row);
    });
    connect(remove, &QPushButton::clicked, this, [this, table] {
        if (table->currentIndex().isValid()) {
            ladder_.removeRow(table->currentIndex().row());
        }
    });
    connect(&ladder_, &QAbstractItemModel::dataChanged, this, &PresetEditor::validate);
    connect(&ladder_, &QAbstractItemModel::rowsInserted, this, &PresetEditor::validate);
    connect(&ladder_, &QAbstractItemModel::rowsRemoved, this, &PresetEditor::validate);
    return box;
}

void PresetEditor::load(const encoder::Preset& p) {
    name_->setText(QString::fromStdString(p.name));
    description_->setText(QString::fromStdString(p.description));
    width_->setValue(p.canvasWidth);
    height_->setValue(p.canvasHeight);
    fpsNum_->setValue(p.fpsNum);
    fpsDen_->setValue(p.fpsDen);
    segment_->setValue(p.segmentSeconds);
    partFrames_->setValue(std::max(1, int(std::lround(p.partSeconds * p.fpsNum / p.fpsDen))));
    ladder_.setRenditions(p.renditions);
    validate();
}

encoder::Preset PresetEditor::preset() const {
    encoder::Preset p = base_;
    p.name = name_->text().trimmed().toStdString();
    p.description = description_->text().trimmed().toStdString();
    p.canvasWidth = width_->value();
    p.canvasHeight = height_->value();
    p.fpsNum = fpsNum_->value();
    p.fpsDen = fpsDen_->value();
    p.segmentSeconds = segment_->value();
    p.partSeconds = double(partFrames_->value()) * p.fpsDen / p.fpsNum;
    p.renditions = ladder_.renditions();
    return p;
}

void PresetEditor::updatePartSeconds() {
    const double seconds = double(partFrames_->value()) * fpsDen_->value() / fpsNum_->value();
    partSeconds_->setText(tr("= %1 s").arg(seconds, 0, 'g', 4));
}

void PresetEditor::validate() {
    updatePartSeconds();
    const auto checked = encoder::validateUserPreset(preset(), replacingPath_.toStdString());
    problem_ = checked ? QString() : QString::fromStdString(checked.error().toString());
    if (checked) {
        verdict_->setText(
            tr("Ready to save in %1").arg(QString::fromStdString(encoder::userPresetFolder())));
        verdict_->setStyleSheet("color: #1a7f37;");
    } else {
        verdict_->setText(problem_);
        verdict_->setStyleSheet("color: #c02020;");
    }
    buttons_->button(QDialogButtonBox::Save)->setEnabled(bool(checked));
}

void PresetEditor::save() {
    const auto path = encoder::saveUserPreset(preset(), replacingPath_.toStdString());
    if (!path) {
        problem_ = QString::fromStdString(path.error().toString());
        verdict_->setText(problem_);
        verdict_->setStyleSheet("color: #c02020;");
        return;
    }
    savedPath_ = QString::fromStdString(*path);
    emit saved(name_->text().trimmed(), savedPath_);
    accept();
}

}  // namespace podium::gui
