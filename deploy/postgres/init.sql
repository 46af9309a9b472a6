-- Run once by the postgres image when its data volume is first initialised
-- (/docker-entrypoint-initdb.d). Each service owns its own database.
CREATE DATABASE intake;
CREATE DATABASE workflow;
CREATE DATABASE notifier;
