"""E-mail and SMS providers behind one interface (see base.py): smtp.SmtpProvider (e-mail through Django's mail
settings), brevo.BrevoSmsProvider and ovh.OvhSmsProvider (SMS through their HTTP APIs, http.post_json), and
base.NoSmsProvider / base.MemoryProvider. Their callbacks are in messaging.webhooks; docs/messages-providers.md."""
