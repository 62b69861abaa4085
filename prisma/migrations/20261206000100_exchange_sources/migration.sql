-- Issue 24: what the platforms must be told goes through exchange_outbox (db/exchange-outbox.ts); the repair's
-- approval writes its entries there, and the old outbox that nothing ever sent goes.
DROP TABLE "platform_notifications";
