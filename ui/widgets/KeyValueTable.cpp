#include "ui/widgets/KeyValueTable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cove::ui {

KeyValueTable::KeyValueTable(const QString& keyHeader, const QString& valueHeader, QWidget* parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this)) {
    m_table->setHorizontalHeaderLabels({keyHeader, valueHeader});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->resizeSection(0, 160);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMinimumHeight(90);
    auto* add = new QPushButton(tr("Add"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    add->setAccessibleName(tr("Add %1").arg(keyHeader));
    remove->setAccessibleName(tr("Remove %1").arg(keyHeader));
    connect(add, &QPushButton::clicked, this, [this] {
        addPair();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0)
            m_table->removeRow(row);
    });
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
}

void KeyValueTable::addPair(const QString& key, const QString& value) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(key));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

QList<QPair<QString, QString>> KeyValueTable::pairs() const {
    QList<QPair<QString, QString>> out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString key = m_table->item(row, 0) ? m_table->item(row, 0)->text().trimmed() : QString();
        const QString value = m_table->item(row, 1) ? m_table->item(row, 1)->text() : QString();
        if (!key.isEmpty() || !value.isEmpty())
            out.push_back({key, value});
    }
    return out;
}

QJsonObject KeyValueTable::toJson() const {
    QJsonObject o;
    for (const auto& [k, v] : pairs())
        o.insert(k, v);
    return o;
}

QString KeyValueTable::problem(const std::function<QString(const QString& key)>& checkKey) const {
    QSet<QString> seen;
    for (const auto& [key, value] : pairs()) {
        Q_UNUSED(value)
        if (key.isEmpty())
            return tr("Every row needs a name.");
        if (checkKey)
            if (const QString wrong = checkKey(key); !wrong.isEmpty())
                return wrong;
        if (seen.contains(key))
            return tr("\"%1\" is given twice.").arg(key);
        seen.insert(key);
    }
    return {};
}

} // namespace cove::ui
