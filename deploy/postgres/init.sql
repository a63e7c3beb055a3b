-- docker-compose only: one database per service (the native script creates the same).
CREATE DATABASE registration;
CREATE DATABASE training;
CREATE DATABASE monitoring;
CREATE DATABASE marketplace;
