"""Every message to and from customers: one outbox, sent after commit by the background worker (issue 17)."""
