"""GDPR objection helper: a bilingual dialogue about Meta's AI training, for Telegram and the terminal."""
