# The two commands a new user needs: `make run` and `make test`. Everything they do
# is in scripts/stack.sh (services) and pytest (tests); see README.md.
SHELL := /bin/bash
VENV := .venv
PYTEST_ARGS ?=

.PHONY: run stop status test audit test-env services install benchmarks clean backup restore chaos

run:            ## provision and start the whole portal with the catalog seeds loaded
	@scripts/stack.sh run

stop:           ## stop every service this checkout started (data is kept)
	@scripts/stack.sh stop

status:         ## show which services run, their ports and logs
	@scripts/stack.sh status

test: test-env  ## run the whole test suite against real PostgreSQL, Solr, Redis, then the dependency audit
	@$(VENV)/bin/python -m pytest --ckan-ini=.local/test$(if $(TEST_SLOT),-$(TEST_SLOT)).ini $(PYTEST_ARGS) tests
	@$(VENV)/bin/python scripts/audit.py

audit:          ## pip-audit and npm audit; fails on advisories not in security/audit-ignore.txt (AUDIT_STRICT=1: also when offline)
	@$(VENV)/bin/python scripts/audit.py

test-env:       ## provision the services and the isolated test databases and Solr core
	@scripts/stack.sh test-env

chaos:          ## stop and restart Solr, Redis, PostgreSQL under load on the `make run` portal; check nothing is lost
	@$(VENV)/bin/python scripts/chaos.py $(CHAOS_ARGS)

services:       ## install and start PostgreSQL, Redis and Solr only
	@scripts/stack.sh services

backup:         ## dated archive of the portal in .local/backups (BACKUP_DIR=…, INI=… for another portal)
	@scripts/backup.sh backup $(if $(INI),--ini $(INI))

restore:        ## rebuild the portal from FILE=archive (databases, files, search index); YES=1 skips the question
	@scripts/backup.sh restore "$(FILE)" $(if $(INI),--ini $(INI)) $(if $(YES),--yes)

clean: stop     ## remove all local state (databases, index, uploads, logs)
	rm -rf .local
