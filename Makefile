# Berdaya: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PACKAGES := shared services/registration services/training services/monitoring services/marketplace

.PHONY: install run test lint events docs token bench-relay bench-consumer bench-e2e bench-with-postgres bench-import bench-monitoring bench-catalogue clean stop

$(VENV)/.installed: constraints.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Berdaya needs Python 3.11+; run make PYTHON=python3.11 ...")'
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt \
		$(foreach p,$(PACKAGES),-e $(p)) -e "shared[test]"
	touch $@

install: $(VENV)/.installed  ## create .venv with every package (editable) and test tools

run: install  ## Kafka + the four services on SQLite + demo data; Ctrl-C stops everything
	deploy/local/run.sh

test: install  ## start Kafka and PostgreSQL natively (or use KAFKA_BOOTSTRAP_SERVERS / POSTGRES_ADMIN_URL), run every test
	deploy/local/test.sh

events: install  ## read every *.events topic as an outside consumer; fails on any 16-digit number
	$(VENV)/bin/python deploy/local/watch_events.py $(if $(PRINT),--print)

lint: install  ## ruff over every package, mypy --strict over the shared package and every service
	$(VENV)/bin/ruff check shared services tests bench deploy
	$(VENV)/bin/mypy --strict shared/src $(wildcard services/*/src)

docs: install  ## regenerate docs/events.md and docs/asyncapi.json from the event contracts
	$(VENV)/bin/python -m berdaya_shared.events.catalogue docs/events.md docs/asyncapi.json

token: install  ## a development token: make token ROLE=kelurahan_officer AREA=31.74.06.1001
	@$(VENV)/bin/python -m berdaya_shared.api.auth --role $(or $(ROLE),city_admin) --area $(or $(AREA),31)

bench-relay: install  ## outbox relay vs raw aiokafka, 100k rows on SQLite and on PostgreSQL (Kafka and a private PostgreSQL are started unless KAFKA_BOOTSTRAP_SERVERS / POSTGRES_ADMIN_URL are set)
	@deploy/local/with-kafka.sh $(MAKE) --no-print-directory bench-with-postgres BENCH="bench/relay.py"

bench-consumer: install  ## consumer runner vs getmany + a bare batched insert, 50k events on SQLite and on PostgreSQL (servers started as for bench-relay)
	@deploy/local/with-kafka.sh $(MAKE) --no-print-directory bench-with-postgres BENCH="bench/consumer.py"

bench-e2e: install  ## enrolment verified in registration -> on training's roster: p50/p90/p99 at half the maximum load (PostgreSQL; servers started as for bench-relay)
	@deploy/local/with-kafka.sh $(MAKE) --no-print-directory bench-with-postgres BENCH="bench/e2e_latency.py"

bench-with-postgres:  # run $(BENCH) --postgres URL, starting a private PostgreSQL unless POSTGRES_ADMIN_URL is set
	@if [ -n "$$POSTGRES_ADMIN_URL" ]; then \
		$(VENV)/bin/python $(BENCH) --postgres "$$POSTGRES_ADMIN_URL"; \
	else \
		url=$$(PGPORT=55435 deploy/postgres/postgres.sh start | sed -n 's/^POSTGRES_ADMIN_URL=//p'); \
		$(VENV)/bin/python $(BENCH) --postgres "$$url"; status=$$?; \
		PGPORT=55435 deploy/postgres/postgres.sh stop >&2; exit $$status; \
	fi

bench-import: install  ## 100k rows through the background import job, on SQLite and on PostgreSQL (a private one is started unless POSTGRES_ADMIN_URL is set)
	@if [ -n "$$POSTGRES_ADMIN_URL" ]; then \
		$(VENV)/bin/python bench/import_rows.py --postgres "$$POSTGRES_ADMIN_URL"; \
	else \
		url=$$(PGPORT=55435 deploy/postgres/postgres.sh start | sed -n 's/^POSTGRES_ADMIN_URL=//p'); \
		$(VENV)/bin/python bench/import_rows.py --postgres "$$url"; status=$$?; \
		PGPORT=55435 deploy/postgres/postgres.sh stop >&2; exit $$status; \
	fi

bench-monitoring: install  ## overdue sweep over 1,000,000 visits, indicators and work lists at city scale (PostgreSQL; a private one is started unless POSTGRES_ADMIN_URL is set)
	@if [ -n "$$POSTGRES_ADMIN_URL" ]; then \
		$(VENV)/bin/python bench/monitoring.py --postgres "$$POSTGRES_ADMIN_URL"; \
	else \
		url=$$(PGPORT=55435 deploy/postgres/postgres.sh start | sed -n 's/^POSTGRES_ADMIN_URL=//p'); \
		$(VENV)/bin/python bench/monitoring.py --postgres "$$url"; status=$$?; \
		PGPORT=55435 deploy/postgres/postgres.sh stop >&2; exit $$status; \
	fi

bench-catalogue: install  ## public catalogue search over 50,000 products at 200 requests/s from a second process (PostgreSQL; a private one is started unless POSTGRES_ADMIN_URL is set)
	@if [ -n "$$POSTGRES_ADMIN_URL" ]; then \
		$(VENV)/bin/python bench/catalogue.py --postgres "$$POSTGRES_ADMIN_URL"; \
	else \
		url=$$(PGPORT=55436 deploy/postgres/postgres.sh start | sed -n 's/^POSTGRES_ADMIN_URL=//p'); \
		$(VENV)/bin/python bench/catalogue.py --postgres "$$url"; status=$$?; \
		PGPORT=55436 deploy/postgres/postgres.sh stop >&2; exit $$status; \
	fi

stop:  ## stop servers left running by an interrupted run
	-deploy/kafka/kafka.sh stop
	-KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 deploy/kafka/kafka.sh stop
	-PGPORT=55433 deploy/postgres/postgres.sh stop
	-KAFKA_CLUSTER_BASE_PORT=19492 deploy/kafka/cluster.sh stop

clean: stop
	rm -rf .state var $(VENV)
