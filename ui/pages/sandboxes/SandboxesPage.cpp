// The list is read once when the event channel connects (again after every reconnect, and on F5); from
// then on sandbox.created and sandbox.state.updated change single rows. There is no polling.
#include "ui/pages/sandboxes/SandboxesPage.h"

#include "app/ApiClient.h"
#include "app/SandboxModel.h"
#include "ui/pages/sandboxes/CreateSandboxDialog.h"
#include "ui/pages/sandboxes/SandboxFilterProxy.h"
#include "ui/pages/sandboxes/SandboxStateDelegate.h"
#include "ui/pages/sandboxes/SshAccessDialog.h"
#include "ui/widgets/PageKit.h"
#include "ui/widgets/TerminalWindow.h"
#include "ui/widgets/vnc/VncWindow.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSharedPointer>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

constexpr int kListPage = 1000; // the service's largest page
constexpr int kNamesInConfirmation = 10;

// The states the filter offers, in the order a person thinks of them.
constexpr app::SandboxState kFilterStates[] = {
    app::SandboxState::Started,    app::SandboxState::Paused,     app::SandboxState::Stopped,
    app::SandboxState::Archived,   app::SandboxState::Error,      app::SandboxState::Creating,
    app::SandboxState::Starting,   app::SandboxState::Stopping,   app::SandboxState::Archiving,
    app::SandboxState::Restoring,  app::SandboxState::Destroying, app::SandboxState::PendingBuild,
    app::SandboxState::BuildFailed};

} // namespace

SandboxesPage::SandboxesPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_client(client)
    , m_api(client)
    , m_model(new app::SandboxModel(this))
    , m_proxy(new SandboxFilterProxy(this))
    , m_view(new QTableView(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_detailHost(new QWidget(this))
    , m_filter(new QLineEdit(this))
    , m_labelFilter(new QLineEdit(this))
    , m_snapshotFilter(new QComboBox(this))
    , m_stateFilter(new QToolButton(this))
    , m_banner(new QFrame(this))
    , m_bannerText(new QLabel(m_banner))
    , m_message(kit::messageLine(this))
    , m_status(new kit::StatusLine(this))
    , m_title(kit::pageTitle(QString(), this))
    , m_retry(new QPushButton(m_banner))
    , m_create(kit::action(this))
    , m_start(kit::action(this))
    , m_stop(kit::action(this))
    , m_archive(kit::action(this))
    , m_delete(kit::action(this))
    , m_openTerminal(kit::action(m_view))
    , m_openDesktop(kit::action(m_view))
    , m_sshAccess(kit::action(this)) {
    // Actions: toolbar buttons, the table's context menu and shortcuts.
    m_create->setShortcut(QKeySequence::New);
    m_delete->setShortcut(QKeySequence::Delete);
    m_sshAccess->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    connect(m_create, &QAction::triggered, this, &SandboxesPage::createSandbox);
    connect(m_start, &QAction::triggered, this, &SandboxesPage::startSelected);
    connect(m_stop, &QAction::triggered, this, &SandboxesPage::stopSelected);
    connect(m_archive, &QAction::triggered, this, &SandboxesPage::archiveSelected);
    connect(m_delete, &QAction::triggered, this, &SandboxesPage::deleteSelected);
    connect(m_sshAccess, &QAction::triggered, this, &SandboxesPage::openSshAccess);
    addAction(m_create);
    auto* top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addStretch(1);
    for (QAction* a : {m_create, m_start, m_stop, m_archive, m_delete, m_sshAccess})
        top->addWidget(kit::toolButton(a, this));

    // The banner while the service is away: the list shows what was last seen.
    m_banner->setObjectName(QStringLiteral("serviceBanner"));
    m_banner->setStyleSheet(QStringLiteral("#serviceBanner { background: #fff4ce; border: 1px solid #e0c060; "
                                           "border-radius: 4px; }"));
    m_bannerText->setWordWrap(true);
    connect(m_retry, &QPushButton::clicked, m_client->events(), &app::EventClient::retryNow);
    auto* bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_retry);
    m_banner->hide();

    // Filters.
    m_filter->setClearButtonEnabled(true);
    m_labelFilter->setClearButtonEnabled(true);
    m_snapshotFilter->addItem(QString(), QString()); // all snapshots
    m_snapshotFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_stateFilter->setPopupMode(QToolButton::InstantPopup);
    auto* stateMenu = new QMenu(m_stateFilter);
    for (const app::SandboxState s : kFilterStates) {
        QAction* a = stateMenu->addAction(QString());
        a->setCheckable(true);
        a->setData(app::sandboxStateName(s));
        connect(a, &QAction::toggled, this, [this] { updateStateButton(); });
    }
    stateMenu->addSeparator();
    m_allStates = stateMenu->addAction(QString(), this, [this, stateMenu] {
        for (QAction* a : stateMenu->actions())
            if (a->isCheckable())
                a->setChecked(false);
    });
    m_stateFilter->setMenu(stateMenu);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SandboxFilterProxy::setText);
    connect(m_labelFilter, &QLineEdit::textChanged, m_proxy, &SandboxFilterProxy::setLabel);
    connect(m_snapshotFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setSnapshot(m_snapshotFilter->currentData().toString()); });
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_filter, 3);
    filters->addWidget(m_stateFilter);
    filters->addWidget(m_labelFilter, 1);
    filters->addWidget(m_snapshotFilter);

    // The table.
    m_proxy->setSandboxModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(app::SandboxModel::State, new SandboxStateDelegate(m_view));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(app::SandboxModel::Created, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setWordWrap(false);
    auto* header = m_view->horizontalHeader();
    header->setObjectName(QStringLiteral("sandboxColumns"));
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const QFontMetrics fm(font());
    const auto widthOf = [&fm](const char* sample) { return fm.horizontalAdvance(QLatin1String(sample)); };
    header->resizeSection(app::SandboxModel::Name, widthOf("a-sandbox-name-here"));
    header->resizeSection(app::SandboxModel::Id, widthOf("00000000-0000"));
    header->resizeSection(app::SandboxModel::State, widthOf("Building snapshot") + fm.height() + 24);
    header->resizeSection(app::SandboxModel::Snapshot, widthOf("cove-desktop"));
    header->resizeSection(app::SandboxModel::Resources, widthOf("1 vCPU · 1 GiB · 3 GiB disk "));
    header->resizeSection(app::SandboxModel::Labels, widthOf("team=qa, purpose=test"));
    header->resizeSection(app::SandboxModel::LastEvent, widthOf("Starting → Started, 00/00/00 00:00"));
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction* a : {m_start, m_stop, m_archive, m_delete, m_sshAccess})
        m_view->addAction(a);
    // Windows of their own for the current sandbox: its terminal, its desktop.
    using Opener = QWidget* (*)(app::ApiClient*, const QString&, const QString&);
    const auto addWindowAction = [this](QAction* action, Opener open) {
        m_view->addAction(action);
        connect(action, &QAction::triggered, this, [this, open] {
            const QModelIndex current = m_view->currentIndex();
            if (current.isValid())
                open(m_client, current.data(app::SandboxModel::SandboxIdRole).toString(),
                     current.sibling(current.row(), app::SandboxModel::Name).data().toString());
        });
    };
    addWindowAction(m_openTerminal, [](app::ApiClient* c, const QString& id, const QString& name) {
        return static_cast<QWidget*>(TerminalWindow::open(c, id, name));
    });
    addWindowAction(m_openDesktop, [](app::ApiClient* c, const QString& id, const QString& name) {
        return static_cast<QWidget*>(VncWindow::open(c, id, name));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SandboxesPage::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                m_detailHost->setVisible(m_detail && current.isValid());
                emit sandboxSelected(current.isValid()
                                         ? current.data(app::SandboxModel::SandboxIdRole).toString()
                                         : QString());
            });
    connect(m_model, &app::SandboxModel::contentsChanged, this, [this] {
        updateActions();
        if (m_snapshotChoicesDirty)
            return;
        m_snapshotChoicesDirty = true; // many events in a row: one refresh of the choices
        QTimer::singleShot(0, this, &SandboxesPage::refreshSnapshotChoices);
    });

    // Room for the detail pane, which another part of the dashboard provides.
    m_detailHost->setObjectName(QStringLiteral("sandboxDetailHost"));
    auto* detailLayout = new QVBoxLayout(m_detailHost);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_detailHost->hide();
    m_splitter->setObjectName(QStringLiteral("sandboxSplitter"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_detailHost);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_banner);
    layout->addLayout(filters);
    layout->addWidget(m_message);
    layout->addWidget(m_status);
    layout->addWidget(m_splitter, 1);
    retranslateUi();
    updateActions();

    // Live updates: a load on every (re)connect, then events.
    app::EventClient* events = m_client->events();
    connect(events, &app::EventClient::connected, this, [this] {
        m_banner->hide();
        // A load that began before the channel was up may miss events: it is read again when done.
        if (m_loading)
            m_reloadAfter = true;
        else
            load();
    });
    connect(events, &app::EventClient::disconnected, this, &SandboxesPage::showBanner);
    connect(events, &app::EventClient::eventReceived, this, &SandboxesPage::onEvent);
    events->start();
}

void SandboxesPage::retranslateUi() {
    m_title->setText(tr("Sandboxes"));
    m_create->setText(tr("&Create…"));
    m_create->setToolTip(tr("Create a sandbox (Ctrl+N)"));
    m_start->setText(tr("&Start"));
    m_stop->setText(tr("S&top"));
    m_archive->setText(tr("&Archive"));
    m_delete->setText(tr("&Delete"));
    m_openTerminal->setText(tr("Open &Terminal in a Window"));
    m_openDesktop->setText(tr("Open &Desktop in a Window"));
    m_sshAccess->setText(tr("SS&H Access…"));
    m_sshAccess->setToolTip(
        tr("Create SSH access to the sandbox: an ssh command to copy, valid for the time you "
           "choose (Ctrl+Shift+H)"));
    m_retry->setText(tr("Reconnect &now"));
    if (!m_banner->isHidden())
        showBanner(m_bannerReason);
    m_filter->setPlaceholderText(tr("Filter by name, ID, state, snapshot or label"));
    m_filter->setAccessibleName(tr("Text filter"));
    m_labelFilter->setPlaceholderText(tr("Label: key or key=value"));
    m_labelFilter->setAccessibleName(tr("Label filter"));
    m_snapshotFilter->setAccessibleName(tr("Snapshot filter"));
    m_snapshotFilter->setItemText(0, tr("All snapshots"));
    m_stateFilter->setAccessibleName(tr("State filter"));
    for (QAction* a : m_stateFilter->menu()->actions())
        if (a->isCheckable())
            a->setText(app::sandboxStateLabel(a->data().toString()));
    m_allStates->setText(tr("All states"));
    updateStateButton();
    m_view->setAccessibleName(tr("Sandboxes"));
    m_status->retranslate();
    m_model->retranslate();
}

void SandboxesPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SandboxesPage::showBanner(const QString& reason) {
    if (!m_bannerEnabled)
        return;
    m_bannerReason = reason;
    m_bannerText->setText(tr("<b>The Cove service is not reachable.</b> %1 Reconnecting automatically; the "
                             "list shows what was last seen.")
                              .arg(reason.toHtmlEscaped()));
    m_banner->show();
}

bool SandboxesPage::bannerShown() const {
    return !m_banner->isHidden();
}

QString SandboxesPage::bannerText() const {
    return m_bannerText->text();
}

QString SandboxesPage::message() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

QString SandboxesPage::status() const {
    return m_status->shown();
}

void SandboxesPage::setDetailWidget(QWidget* w) {
    auto* layout = m_detailHost->layout();
    if (m_detail && m_detail != w) {
        layout->removeWidget(m_detail);
        m_detail->deleteLater();
    }
    m_detail = w;
    if (w) {
        layout->addWidget(w);
        w->show();
    }
    // The pane takes room only while it has a sandbox to show; the table keeps the width otherwise.
    m_detailHost->setVisible(w != nullptr && m_view->currentIndex().isValid());
}

// ---- Loading and events ----

void SandboxesPage::refresh() {
    if (m_loading)
        return; // the load under way is as fresh
    load();
}

void SandboxesPage::load() {
    m_loading = true;
    m_loadingItems.clear();
    m_pendingEvents.clear();
    loadPage(QString());
}

void SandboxesPage::loadPage(const QString& cursor) {
    m_api.list(cursor, kListPage, this, [this](const app::Result<app::SandboxPage>& r) {
        if (!r.ok()) {
            m_loading = false;
            m_pendingEvents.clear();
            kit::showMessage(m_message, r.error().text);
            return;
        }
        m_loadingItems << r.value().items;
        if (!r.value().nextCursor.isEmpty())
            loadPage(r.value().nextCursor);
        else
            finishLoad();
    });
}

void SandboxesPage::finishLoad() {
    kit::showMessage(m_message, QString());
    m_model->setSandboxes(m_loadingItems);
    m_loadingItems.clear();
    // Events seen during the load may be newer than what the list said (a row the list still had that
    // was deleted meanwhile, say): applied again on top. Older ones change nothing (updatedAt).
    const auto pending = std::exchange(m_pendingEvents, {});
    m_loading = false;
    for (const auto& [name, payload] : pending)
        applyEvent(name, payload);
    ++m_loads;
    m_emptyHint = m_model->rowCount() == 0;
    if (m_emptyHint)
        m_status->say([url = m_client->target().url] {
            return tr("No sandboxes yet. Create one with Create… (Ctrl+N) or with the Daytona SDK pointed "
                      "at %1/api.")
                .arg(url);
        });
    emit loaded();
    if (std::exchange(m_reloadAfter, false))
        load();
}

void SandboxesPage::onEvent(const QString& name, const QJsonValue& payload) {
    if (m_loading)
        m_pendingEvents.push_back({name, payload});
    applyEvent(name, payload);
}

void SandboxesPage::applyEvent(const QString& name, const QJsonValue& payload) {
    const QJsonObject o = payload.toObject();
    if (name == QLatin1String("sandbox.created")) {
        m_model->applyCreated(o);
        if (std::exchange(m_emptyHint, false))
            m_status->say(nullptr);
    } else if (name == QLatin1String("sandbox.state.updated")) {
        m_model->applyStateChange(o.value(QStringLiteral("sandbox")).toObject(),
                                  o.value(QStringLiteral("oldState")).toString(),
                                  o.value(QStringLiteral("newState")).toString());
    }
}

// ---- Filters ----

void SandboxesPage::updateStateButton() {
    QSet<QString> chosen;
    QStringList names;
    for (QAction* a : m_stateFilter->menu()->actions())
        if (a->isCheckable() && a->isChecked()) {
            chosen.insert(a->data().toString());
            names << a->text();
        }
    m_stateFilter->setText(names.isEmpty() ? tr("State: all")
                                           : tr("State: %1").arg(names.join(QStringLiteral(", "))));
    m_proxy->setStates(chosen);
}

void SandboxesPage::refreshSnapshotChoices() {
    m_snapshotChoicesDirty = false;
    const QString current = m_snapshotFilter->currentData().toString();
    QStringList names = m_model->snapshots();
    if (!current.isEmpty() && !names.contains(current))
        names << current; // the filter in force stays offered
    QStringList shown;
    for (int i = 1; i < m_snapshotFilter->count(); ++i)
        shown << m_snapshotFilter->itemData(i).toString();
    if (shown == names)
        return;
    const QSignalBlocker block(m_snapshotFilter);
    while (m_snapshotFilter->count() > 1)
        m_snapshotFilter->removeItem(1);
    for (const auto& n : names)
        m_snapshotFilter->addItem(n, n);
    m_snapshotFilter->setCurrentIndex(std::max(0, m_snapshotFilter->findData(current)));
}

// ---- Selection and actions ----

QStringList SandboxesPage::selectedIds() const {
    QStringList ids;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        ids << i.data(app::SandboxModel::SandboxIdRole).toString();
    return ids;
}

void SandboxesPage::selectIds(const QStringList& ids) {
    QItemSelection selection;
    for (const auto& id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex at = m_proxy->mapFromSource(m_model->index(row, 0));
        if (at.isValid())
            selection.select(at, at.siblingAtColumn(app::SandboxModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void SandboxesPage::updateActions() {
    // An action is offered when it applies to at least one selected sandbox; the others, if sent along,
    // answer why not in the summary.
    bool startable = false, stoppable = false, archivable = false;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex& index : rows) {
        const app::SandboxState state = m_model->entry(m_proxy->mapToSource(index).row()).sandbox.state;
        // Starting a paused sandbox resumes it.
        startable |= state == app::SandboxState::Stopped || state == app::SandboxState::Archived ||
                     state == app::SandboxState::Paused;
        stoppable |= state == app::SandboxState::Started;
        archivable |= state == app::SandboxState::Stopped;
    }
    m_start->setEnabled(startable);
    m_stop->setEnabled(stoppable);
    m_archive->setEnabled(archivable);
    m_delete->setEnabled(!rows.isEmpty());
    m_sshAccess->setEnabled(rows.size() == 1);
}

void SandboxesPage::openSshAccess() {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return;
    const QModelIndex row = rows.first();
    auto* dialog =
        new SshAccessDialog(&m_api, row.data(app::SandboxModel::SandboxIdRole).toString(),
                            row.sibling(row.row(), app::SandboxModel::Name).data().toString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

CreateSandboxDialog* SandboxesPage::createDialog() const {
    return m_createDialog;
}

void SandboxesPage::createSandbox() {
    if (m_createDialog) {
        m_createDialog->raise();
        m_createDialog->activateWindow();
        return;
    }
    m_createDialog = new CreateSandboxDialog(m_client, this);
    m_createDialog->setAttribute(Qt::WA_DeleteOnClose);
    // The row itself comes with the sandbox.created event, as for a sandbox made anywhere else.
    connect(m_createDialog, &CreateSandboxDialog::created, this, [this](const QJsonObject& sandbox) {
        selectIds({sandbox.value(QStringLiteral("id")).toString()});
        m_status->say([name = sandbox.value(QStringLiteral("name")).toString()] {
            return tr("Sandbox %1 was created.").arg(name);
        });
    });
    m_createDialog->open();
}

void SandboxesPage::runBulk(Bulk kind) {
    QStringList ids;
    QStringList names;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows()) {
        const app::SandboxModel::Entry& e = m_model->entry(m_proxy->mapToSource(i).row());
        ids << e.id;
        names << e.name;
    }
    if (ids.isEmpty())
        return;
    const int n = int(ids.size());
    // One sandbox is named in the question; several are counted and listed below it.
    QStringList shown = names.mid(0, kNamesInConfirmation);
    if (n > kNamesInConfirmation)
        shown << tr("and %1 more").arg(n - kNamesInConfirmation);
    const QString list = QStringLiteral("\n\n") + shown.join(QStringLiteral("\n"));
    const QString one = names.value(0);
    switch (kind) {
    case Bulk::Start:
        break;
    case Bulk::Stop:
        if (!kit::confirm(
                this, tr("Stop sandboxes"),
                (n == 1 ? tr("Stop the sandbox \"%1\"?").arg(one) : tr("Stop %1 sandboxes?").arg(n) + list) +
                    QStringLiteral("\n\n") + tr("Their processes end; their files stay.")))
            return;
        break;
    case Bulk::Archive:
        if (!kit::confirm(this, tr("Archive sandboxes"),
                          (n == 1 ? tr("Archive the sandbox \"%1\"?").arg(one)
                                  : tr("Archive %1 sandboxes?").arg(n) + list) +
                              QStringLiteral("\n\n") +
                              tr("Their files move to the archive and stop counting against the disk quota; "
                                 "starting one restores it.")))
            return;
        break;
    case Bulk::Delete:
        if (!kit::confirm(this, tr("Delete sandboxes"),
                          (n == 1 ? tr("Delete the sandbox \"%1\"?").arg(one)
                                  : tr("Delete %1 sandboxes?").arg(n) + list) +
                              QStringLiteral("\n\n") + tr("Their files are removed for good.")))
            return;
        break;
    }
    kit::showMessage(m_message, QString());
    struct Run {
        int pending = 0;
        int done = 0;
        QStringList failures;
    };
    auto run = QSharedPointer<Run>::create();
    run->pending = n;
    const auto finish = [this, run, kind, n] {
        const auto what = [kind, done = run->done, n] {
            switch (kind) {
            case Bulk::Start:
                return tr("%1 of %2 started").arg(done).arg(n);
            case Bulk::Stop:
                return tr("%1 of %2 stopped").arg(done).arg(n);
            case Bulk::Archive:
                return tr("%1 of %2 archived").arg(done).arg(n);
            case Bulk::Delete:
                return tr("%1 of %2 deleted").arg(done).arg(n);
            }
            return QString();
        };
        if (run->failures.isEmpty()) {
            m_status->say([what] { return what() + QLatin1Char('.'); });
            emit bulkFinished(m_status->text());
        } else {
            // The failures are in the service's words; this line is not said again in a new language.
            const QString summary = what() + QStringLiteral("; ") + run->failures.join(QStringLiteral("; "));
            m_status->say(nullptr);
            kit::showMessage(m_message, summary);
            emit bulkFinished(summary);
        }
    };
    for (int i = 0; i < n; ++i) {
        const QString name = names[i];
        auto answered = [run, name, finish](const app::Result<app::Done>& r) {
            if (r.ok())
                ++run->done;
            else
                run->failures << QStringLiteral("%1: %2").arg(name, r.error().text);
            if (--run->pending == 0)
                finish();
        };
        switch (kind) {
        case Bulk::Start:
            m_api.start(ids[i], this, answered);
            break;
        case Bulk::Stop:
            m_api.stop(ids[i], this, answered);
            break;
        case Bulk::Archive:
            m_api.archive(ids[i], this, answered);
            break;
        case Bulk::Delete:
            m_api.remove(ids[i], this, answered);
            break;
        }
    }
}

} // namespace cove::ui
