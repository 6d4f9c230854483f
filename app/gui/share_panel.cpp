#include "app/gui/share_panel.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include "app/gui/qr_image.h"

namespace podium::gui {

SharePanel::SharePanel(QWidget* parent) : QGroupBox(tr("Share"), parent) {
    setObjectName("sharePanel");
    url_ = new QLineEdit(this);
    url_->setObjectName("viewerUrl");
    url_->setReadOnly(true);
    auto* copy = new QPushButton(tr("Copy link"), this);
    copy->setObjectName("copyViewerUrl");
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    qr_ = new QLabel(this);
    qr_->setObjectName("viewerQr");
    auto* layout = new QGridLayout(this);
    layout->addWidget(new QLabel(tr("Viewers open:"), this), 0, 0);
    layout->addWidget(url_, 1, 0);
    layout->addWidget(copy, 1, 1);
    layout->addWidget(hint_, 2, 0, 1, 2);
    layout->addWidget(qr_, 0, 2, 3, 1);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(url_->text()); });
    setVisible(false);
}

void SharePanel::setViewerUrl(const QString& url) {
    url_->setText(url);
    qr_->setPixmap(url.isEmpty() ? QPixmap() : QPixmap::fromImage(qrImage(url, 3)));
    hint_->setText(url.contains("127.0.0.1")
                       ? tr("Only this computer can watch; tick “Share on LAN” before Start to "
                            "let others in.")
                       : tr("Scan the code with a phone on the same network."));
    setVisible(!url.isEmpty());
}

QString SharePanel::viewerUrl() const {
    return url_->text();
}

}  // namespace podium::gui
