// Draws a sandbox's state as a coloured badge; states that end by themselves (creating, stopping…) get
// a turning spinner. The spinner's timer runs only while such a badge is on screen.
#pragma once

#include <QStyledItemDelegate>
#include <QTimer>

class QAbstractItemView;

namespace cove::ui {

class SandboxStateDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit SandboxStateDelegate(QAbstractItemView* view);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool isAnimating() const { return m_spin.isActive(); }

private:
    QAbstractItemView* m_view;
    mutable QTimer m_spin;
    mutable bool m_paintedSpinner = false;
    int m_frame = 0;
};

} // namespace cove::ui
