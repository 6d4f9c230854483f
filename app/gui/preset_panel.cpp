#include "app/gui/preset_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "app/gui/preset_editor.h"
#include "core/log.h"
#include "encoder/preset_catalog.h"

namespace podium::gui {

namespace {
QPushButton* button(const QString& text, const char* name, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}
}  // namespace

PresetPanel::PresetPanel(QWidget* parent) : QWidget(parent) {
    combo_ = new QComboBox(this);
    combo_->setObjectName("presetCombo");
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
    auto* duplicate = button(tr("Duplicate and edit…"), "duplicatePreset", this);
    edit_ = button(tr("Edit…"), "editPreset", this);
    rename_ = button(tr("Rename…"), "renamePreset", this);
    delete_ = button(tr("Delete"), "deletePreset", this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(duplicate);
    buttons->addWidget(edit_);
    buttons->addWidget(rename_);
    buttons->addWidget(delete_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(combo_);
    layout->addLayout(buttons);
    layout->addWidget(description_);
    layout->addWidget(table);
    connect(combo_, &QComboBox::currentIndexChanged, this, &PresetPanel::show);
    connect(duplicate, &QPushButton::clicked, this, [this] { openEditor(true); });
    connect(edit_, &QPushButton::clicked, this, [this] { openEditor(false); });
    connect(rename_, &QPushButton::clicked, this, &PresetPanel::askRename);
    connect(delete_, &QPushButton::clicked, this, &PresetPanel::askDelete);
    reload();
}

void PresetPanel::reload() {
    const QString selected = currentPreset();
    presets_ = encoder::builtinPresets();
    encoder::UserPresets user = encoder::loadUserPresets();
    for (const Status& problem : user.problems) {
        logWarning("presets", "skipped: " + problem.toString());
    }
    presets_.insert(presets_.end(), user.presets.begin(), user.presets.end());
    const QSignalBlocker quiet(combo_);
    combo_->clear();
    for (const auto& p : presets_) {
        const QString name = QString::fromStdString(p.name);
        combo_->addItem(encoder::isBuiltin(p) ? name : tr("%1 (yours)").arg(name), name);
    }
    combo_->setCurrentIndex(std::max(0, combo_->findData(selected)));
    show(combo_->currentIndex());
}

QString PresetPanel::currentPreset() const {
    return combo_->currentData().toString();
}

const encoder::Preset* PresetPanel::current() const {
    const int index = combo_->currentIndex();
    return index >= 0 && size_t(index) < presets_.size() ? &presets_[size_t(index)] : nullptr;
}

void PresetPanel::setCurrentPreset(const QString& name) {
    for (int i = 0; i < combo_->count(); ++i) {
        if (combo_->itemData(i).toString().compare(name, Qt::CaseInsensitive) == 0) {
            combo_->setCurrentIndex(i);
            return;
        }
    }
}

void PresetPanel::show(int index) {
    const encoder::Preset* p = current();
    if (!p || index < 0) {
        return;
    }
    const bool mine = !encoder::isBuiltin(*p);
    edit_->setEnabled(mine);
    rename_->setEnabled(mine);
    delete_->setEnabled(mine);
    ladder_.setPreset(*p);
    description_->setText(tr("%1 — %2×%3 at %4 fps, %5 s segments, x264 %6")
                              .arg(QString::fromStdString(p->description))
                              .arg(p->canvasWidth)
                              .arg(p->canvasHeight)
                              .arg(double(p->fpsNum) / p->fpsDen, 0, 'g', 4)
                              .arg(p->segmentSeconds)
                              .arg(QString::fromStdString(p->x264Preset)));
    description_->setToolTip(mine ? QString::fromStdString(p->sourceName) : QString());
    emit presetChanged(currentPreset());
}

PresetEditor* PresetPanel::openEditor(bool duplicate) {
    const encoder::Preset* p = current();
    if (!p || (!duplicate && encoder::isBuiltin(*p))) {
        return nullptr;
    }
    auto* editor =
        new PresetEditor(*p, duplicate ? QString() : QString::fromStdString(p->sourceName), this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &PresetEditor::saved, this, [this](const QString& name) {
        reload();
        setCurrentPreset(name);
    });
    editor->open();
    return editor;
}

Result<void> PresetPanel::renameCurrent(const QString& name) {
    const encoder::Preset* p = current();
    if (!p || encoder::isBuiltin(*p)) {
        return makeError(ErrorCode::InvalidArgument, "built-in presets cannot be renamed");
    }
    encoder::Preset renamed = *p;
    renamed.name = name.trimmed().toStdString();
    auto saved = encoder::saveUserPreset(renamed, p->sourceName);
    if (!saved) {
        return makeError(saved.error());
    }
    reload();
    setCurrentPreset(QString::fromStdString(renamed.name));
    return ok();
}

Result<void> PresetPanel::deleteCurrent() {
    const encoder::Preset* p = current();
    if (!p || encoder::isBuiltin(*p)) {
        return makeError(ErrorCode::InvalidArgument, "built-in presets cannot be deleted");
    }
    if (auto removed = encoder::deleteUserPreset(p->sourceName); !removed) {
        return removed;
    }
    reload();
    setCurrentPreset(QString::fromStdString(encoder::defaultPresetName()));
    return ok();
}

void PresetPanel::askRename() {
    bool accepted = false;
    const QString name = QInputDialog::getText(this, tr("Rename preset"), tr("New name:"),
                                               QLineEdit::Normal, currentPreset(), &accepted);
    if (!accepted || name == currentPreset()) {
        return;
    }
    if (auto r = renameCurrent(name); !r) {
        QMessageBox::warning(this, tr("Cannot rename"),
                             QString::fromStdString(r.error().toString()));
    }
}

void PresetPanel::askDelete() {
    const auto answer = QMessageBox::question(
        this, tr("Delete preset?"),
        tr("Delete your preset “%1”? This cannot be undone.").arg(currentPreset()));
    if (answer != QMessageBox::Yes) {
        return;
    }
    if (auto r = deleteCurrent(); !r) {
        QMessageBox::warning(this, tr("Cannot delete"),
                             QString::fromStdString(r.error().toString()));
    }
}

}  // namespace podium::gui
