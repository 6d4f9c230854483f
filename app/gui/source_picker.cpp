#include "app/gui/source_picker.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app/session/source_spec.h"
#include "capture/source_catalog.h"

namespace podium::gui {

namespace {

constexpr auto kSpecRole = Qt::UserRole;
constexpr auto kFileTile = "file:";  // the "File…" tile: asks for a path when chosen

/// A small SMPTE-like bar thumbnail for the test pattern tile.
QIcon testPatternIcon() {
    QPixmap pixmap(96, 54);
    QPainter p(&pixmap);
    const QColor bars[] = {Qt::white,   Qt::yellow, Qt::cyan, Qt::green,
                           Qt::magenta, Qt::red,    Qt::blue};
    const int w = pixmap.width() / 7 + 1;
    for (int i = 0; i < 7; ++i) {
        p.fillRect(i * w, 0, w, pixmap.height(), bars[i]);
    }
    return QIcon(pixmap);
}

}  // namespace

SourcePicker::SourcePicker(QWidget* parent) : QWidget(parent) {
    list_ = new QListWidget(this);
    list_->setObjectName("sourceList");
    list_->setViewMode(QListView::IconMode);
    list_->setFlow(QListView::LeftToRight);
    list_->setWrapping(true);
    list_->setResizeMode(QListView::Adjust);
    list_->setIconSize(QSize(96, 54));
    list_->setGridSize(QSize(128, 92));
    list_->setMovement(QListView::Static);
    list_->setWordWrap(true);
    list_->setMaximumHeight(120);
    auto* refreshButton = new QPushButton(tr("Refresh sources"), this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(list_);
    layout->addWidget(refreshButton, 0, Qt::AlignRight);

    addTile(tr("Test pattern"), "testpattern", testPatternIcon());
    addTile(tr("File…"), kFileTile, style()->standardIcon(QStyle::SP_FileIcon));
    connect(list_, &QListWidget::itemClicked, this, &SourcePicker::onItemActivated);
    connect(refreshButton, &QPushButton::clicked, this, &SourcePicker::refresh);
    refresh();
}

QListWidgetItem* SourcePicker::addTile(const QString& label, const QString& spec,
                                       const QIcon& icon) {
    auto* item = new QListWidgetItem(icon, label, list_);
    item->setData(kSpecRole, spec);
    item->setToolTip(spec);
    return item;
}

QListWidgetItem* SourcePicker::findTile(const QString& spec) const {
    for (int i = 0; i < list_->count(); ++i) {
        if (list_->item(i)->data(kSpecRole).toString() == spec) {
            return list_->item(i);
        }
    }
    return nullptr;
}

void SourcePicker::refresh() {
    auto* watcher = new QFutureWatcher<capture::SourceList>(this);
    connect(watcher, &QFutureWatcher<capture::SourceList>::finished, this, [this, watcher] {
        const capture::SourceList sources = watcher->result();
        watcher->deleteLater();
        const QIcon screenIcon = style()->standardIcon(QStyle::SP_ComputerIcon);
        const QIcon windowIcon = style()->standardIcon(QStyle::SP_TitleBarNormalButton);
        const QIcon cameraIcon = style()->standardIcon(QStyle::SP_DriveCDIcon);
        // On Wayland the desktop itself asks what to share (the ScreenCast portal); X11
        // screens and windows there would only be XWayland's.
        const app::ScreenPath path = app::chooseScreenPath();
        if (path.portal && !findTile("screen")) {
            QListWidgetItem* tile =
                addTile(tr("Screen\n(the desktop asks what to share)"), "screen", screenIcon);
            tile->setToolTip(
                tr("On this Wayland desktop, Start asks which screen or window to "
                   "share, once; Broadcast > Choose the shared screen again asks "
                   "again."));
        }
        for (const auto& s : path.portal ? decltype(sources.screens){} : sources.screens) {
            const QString spec = QString::fromStdString(s.id());
            if (!findTile(spec)) {
                addTile(tr("Screen %1\n%2×%3")
                            .arg(QString::fromStdString(s.display))
                            .arg(s.width)
                            .arg(s.height),
                        spec, screenIcon);
            }
        }
        for (const auto& w : path.portal ? decltype(sources.windows){} : sources.windows) {
            const QString spec = QString::fromStdString(w.id());
            if (!findTile(spec)) {
                addTile(QString::fromStdString(w.title).left(40), spec, windowIcon);
            }
        }
        for (const auto& c : sources.cameras) {
            const QString spec = QString::fromStdString(c.id());
            if (!findTile(spec)) {
                addTile(QString::fromStdString(c.card), spec, cameraIcon);
            }
        }
        setCurrentSpec(current_);
    });
    watcher->setFuture(QtConcurrent::run([] { return capture::listSources(); }));
}

QString SourcePicker::currentSpec() const {
    return current_;
}

void SourcePicker::setCurrentSpec(const QString& spec) {
    QListWidgetItem* item = findTile(spec);
    if (!item && spec.startsWith("file:") && spec != kFileTile) {
        QString path = spec.mid(5);
        if (path.endsWith(":loop")) {
            path.chop(5);
        }
        item =
            addTile(QFileInfo(path).fileName(), spec, style()->standardIcon(QStyle::SP_MediaPlay));
    }
    if (!item) {
        return;  // a device that is not here (yet): keep the setting, select nothing
    }
    list_->setCurrentItem(item);
    if (current_ != spec) {
        current_ = spec;
        emit sourceChanged(spec);
    }
}

void SourcePicker::onItemActivated(QListWidgetItem* item) {
    QString spec = item->data(kSpecRole).toString();
    if (spec == kFileTile) {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Broadcast a file"), {},
                                         tr("Media files (*.mp4 *.mkv *.mov *.webm *.ts);;"
                                            "All files (*)"));
        if (path.isEmpty()) {
            setCurrentSpec(current_);
            return;
        }
        spec = "file:" + path + ":loop";
    }
    setCurrentSpec(spec);
}

}  // namespace podium::gui
