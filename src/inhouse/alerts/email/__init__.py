"""E-mail over SMTP (SSL, STARTTLS or plain for a local relay), plain text."""
