#include "app/gui/destinations_panel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/gui/app_settings.h"
#include "app/gui/destination_validator.h"
#include "app/gui/secret_store.h"

namespace podium::gui {

DestinationsPanel::DestinationsPanel(AppSettings& settings, QWidget* parent)
    : QWidget(parent), settings_(settings) {
    // One tab per kind of destination keeps the column short enough for a laptop screen.
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName("destinationTabs");
    tabs->addTab(buildOrigin(), tr("Local origin"));
    tabs->addTab(buildArchive(), tr("Archive"));
    tabs->addTab(buildRemote(), tr("Publishing points"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs);
    load();
}

QWidget* DestinationsPanel::buildOrigin() {
    origin_ = new QGroupBox(tr("Local origin (viewers watch in a browser)"), this);
    origin_->setObjectName("originGroup");
    origin_->setCheckable(true);
    share_ = new QCheckBox(tr("Share on LAN (phones and other computers can watch)"), origin_);
    share_->setObjectName("shareOnLan");
    latencyProbe_ = new QCheckBox(
        tr("Measure viewers' delay (a clock code in the picture's top-right corner)"), origin_);
    latencyProbe_->setObjectName("latencyProbe");
    latencyProbe_->setToolTip(
        tr("Viewers' pages read it and show glass to glass; the audience column shows it."));
    port_ = new QSpinBox(origin_);
    port_->setObjectName("originPort");
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("any free port"));
    passcode_ = new QLineEdit(origin_);
    passcode_->setObjectName("viewPasscode");
    passcode_->setPlaceholderText(tr("optional: viewers need this code"));
    auto* form = new QFormLayout(origin_);
    form->addRow(share_);
    form->addRow(latencyProbe_);
    form->addRow(tr("Port"), port_);
    form->addRow(tr("Viewer passcode"), passcode_);
    connect(origin_, &QGroupBox::toggled, this,
            [this](bool on) { settings_.setOriginEnabled(on); });
    connect(share_, &QCheckBox::toggled, this, [this](bool on) { settings_.setShareOnLan(on); });
    connect(latencyProbe_, &QCheckBox::toggled, this,
            [this](bool on) { settings_.setLatencyProbe(on); });
    connect(port_, &QSpinBox::valueChanged, this, [this](int p) { settings_.setOriginPort(p); });
    connect(passcode_, &QLineEdit::textEdited, this,
            [this](const QString& code) { settings_.setViewPasscode(code); });
    return origin_;
}

QWidget* DestinationsPanel::buildArchive() {
    archive_ = new QGroupBox(tr("Archive (keep a recording of exactly what went out)"), this);
    archive_->setObjectName("archiveGroup");
    archive_->setCheckable(true);
    archiveRoot_ = new QLineEdit(archive_);
    archiveRoot_->setObjectName("archiveRoot");
    auto* browse = new QPushButton(tr("Choose…"), archive_);
    auto* row = new QHBoxLayout;
    row->addWidget(archiveRoot_);
    row->addWidget(browse);
    auto* column = new QVBoxLayout(archive_);
    column->addLayout(row);
    auto* note = new QLabel(tr("Each broadcast gets its own dated folder with an HLS VOD "
                               "(index.m3u8) of exactly what went out."),
                            archive_);
    note->setWordWrap(true);
    column->addWidget(note);
    column->addStretch(1);
    connect(archive_, &QGroupBox::toggled, this,
            [this](bool on) { settings_.setArchiveEnabled(on); });
    connect(archiveRoot_, &QLineEdit::textEdited, this,
            [this](const QString& folder) { settings_.setArchiveRoot(folder); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Archive folder"), archiveRoot_->text());
        if (!folder.isEmpty()) {
            archiveRoot_->setText(folder);
            settings_.setArchiveRoot(folder);
        }
    });
    return archive_;
}

QWidget* DestinationsPanel::buildRemote() {
    remote_ = new QGroupBox(tr("Push to remote publishing points while live"), this);
    auto* table = new QTableView(remote_);
    table->setObjectName("destinationTable");
    table->setModel(&model_);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setMaximumHeight(110);
    url_ = new QLineEdit(remote_);
    url_->setObjectName("destinationUrl");
    url_->setPlaceholderText(tr("https://server/live/stream.isml  (or hls=…, dash=…, cmaf=…)"));
    url_->setValidator(new DestinationValidator(url_));
    user_ = new QLineEdit(remote_);
    user_->setPlaceholderText(tr("user (optional)"));
    password_ = new QLineEdit(remote_);
    password_->setPlaceholderText(tr("password or token"));
    password_->setEchoMode(QLineEdit::Password);
    urlMessage_ = new QLabel(remote_);
    urlMessage_->setObjectName("destinationMessage");
    urlMessage_->setWordWrap(true);
    add_ = new QPushButton(tr("Add"), remote_);
    add_->setObjectName("addDestination");
    auto* remove = new QPushButton(tr("Remove"), remote_);
    auto* credentials = new QHBoxLayout;
    credentials->addWidget(user_);
    credentials->addWidget(password_);
    credentials->addWidget(add_);
    credentials->addWidget(remove);
    // Said once, where passwords are typed: where they are kept when there is no keychain.
    auto* notice = new QLabel(settings_.secrets().notice(), remote_);
    notice->setObjectName("secretsNotice");
    notice->setWordWrap(true);
    notice->setStyleSheet("color: #8a6d00;");
    notice->setVisible(!notice->text().isEmpty());
    auto* layout = new QVBoxLayout(remote_);
    layout->addWidget(notice);
    layout->addWidget(table);
    layout->addWidget(url_);
    layout->addLayout(credentials);
    layout->addWidget(urlMessage_);
    connect(url_, &QLineEdit::textChanged, this, &DestinationsPanel::checkUrl);
    connect(url_, &QLineEdit::returnPressed, this, &DestinationsPanel::addDestination);
    connect(add_, &QPushButton::clicked, this, &DestinationsPanel::addDestination);
    connect(remove, &QPushButton::clicked, this,
            [this, table] { model_.remove(table->currentIndex().row()); });
    connect(&model_, &DestinationModel::destinationsChanged, this, [this] {
        if (auto stored = settings_.setDestinations(model_.destinations()); !stored) {
            urlMessage_->setText(
                tr("Not saved: %1").arg(QString::fromStdString(stored.error().toString())));
            urlMessage_->setStyleSheet("color: #c02020;");
        }
    });
    checkUrl();
    return remote_;
}

void DestinationsPanel::load() {
    origin_->setChecked(settings_.originEnabled());
    share_->setChecked(settings_.shareOnLan());
    latencyProbe_->setChecked(settings_.latencyProbe());
    port_->setValue(settings_.originPort());
    passcode_->setText(settings_.viewPasscode());
    archive_->setChecked(settings_.archiveEnabled());
    archiveRoot_->setText(settings_.archiveRoot());
    model_.setDestinations(settings_.destinations());
}

void DestinationsPanel::checkUrl() {
    if (url_->text().trimmed().isEmpty()) {
        urlMessage_->setText(
            tr("A URL whose path has .isml is Smooth ingest; any other is "
               "CMAF ingest."));
        urlMessage_->setStyleSheet({});
        add_->setEnabled(false);
        return;
    }
    const DestinationParse parsed = parseDestination(url_->text());
    urlMessage_->setText(parsed.message);
    urlMessage_->setStyleSheet(parsed.ok ? "color: #1a7f37;" : "color: #c02020;");
    add_->setEnabled(parsed.ok);
}

void DestinationsPanel::addDestination() {
    DestinationParse parsed = parseDestination(url_->text());
    if (!parsed.ok) {
        checkUrl();
        return;
    }
    if (!user_->text().isEmpty()) {
        parsed.destination.username = user_->text();
    }
    if (!password_->text().isEmpty()) {
        parsed.destination.password = password_->text();
    }
    model_.add(parsed.destination);
    url_->clear();
    user_->clear();
    password_->clear();
}

void DestinationsPanel::setLive(bool live) {
    origin_->setEnabled(!live);
    archive_->setEnabled(!live);
    remote_->setEnabled(!live);
}

}  // namespace podium::gui
