-- Personal data under the Law on Personal Data Protection (Law 91/2025/QH15):
-- a support case's consent with its day, scope and withdrawal; the day a case's
-- identity or a tip's content was anonymised (by the retention sweep or on the
-- person's request). Side by side with the other backend's 0014.
ALTER TABLE support_case ADD COLUMN consent_on TEXT;
ALTER TABLE support_case ADD COLUMN consent_scope TEXT;
ALTER TABLE support_case ADD COLUMN consent_withdrawn_on TEXT;
ALTER TABLE support_case ADD COLUMN anonymised_on TEXT;
ALTER TABLE tip ADD COLUMN anonymised_on TEXT;
