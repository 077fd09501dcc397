# Two entry points: `make run` opens the editor on the sample story, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := resources/sample/sample.photostory

.PHONY: run test clean install-desktop catalogs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Browser-test tools (axe-core, the W3C Nu checker's vnu.jar) from the npm registry.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's is used.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The message catalogues (core/i18n.py): the .po files are the source, the .mo files gettext
# reads are built here and never committed. `make catalogs` re-extracts the messages from the
# code into the .pot, merges them into every .po (new msgids come in untranslated, vanished
# ones are dropped) and compiles.
LOCALE := src/photostory/locale
CATALOG_LANGUAGES := ru kk
CATALOGS := $(foreach lang,$(CATALOG_LANGUAGES),$(LOCALE)/$(lang)/LC_MESSAGES/photostory.mo)

$(LOCALE)/%/LC_MESSAGES/photostory.mo: $(LOCALE)/%/LC_MESSAGES/photostory.po | $(VENV)/.installed
	$(BIN)/pybabel compile --domain photostory --locale $* --input-file $< --output-file $@

catalogs: $(VENV)/.installed
	mkdir -p $(LOCALE)
	$(BIN)/pybabel extract --mapping-file babel.cfg --output-file $(LOCALE)/photostory.pot \
		--project Photostory --copyright-holder "Photostory authors" \
		--add-comments "Translators:" --sort-by-file --width 100 src
	for lang in $(CATALOG_LANGUAGES); do \
		$(BIN)/pybabel update --domain photostory --input-file $(LOCALE)/photostory.pot \
			--output-dir $(LOCALE) --locale $$lang --init-missing --ignore-obsolete --width 100 \
			|| exit 1; \
	done
	$(MAKE) $(CATALOGS)

run: $(VENV)/.installed $(CATALOGS)
	scripts/qt-system-libs.sh
	$(BIN)/photostory open $(SAMPLE)

test: $(VENV)/.installed-test node_modules/.installed $(CATALOGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache

# The desktop entry, the story file's type and the icon, for the current user (XDG data
# dirs) or under PREFIX/share. Exec names the checkout's photostory when it is built, so a
# double-click works without the venv on PATH; set PHOTOSTORY to name another. The caches
# desktops read are refreshed when their tools are installed, and skipped when not.
DESKTOP_DATA = $(or $(if $(PREFIX),$(PREFIX)/share),$(XDG_DATA_HOME),$(HOME)/.local/share)
PHOTOSTORY ?= $(if $(wildcard $(BIN)/photostory),$(abspath $(BIN)/photostory),photostory)

install-desktop:
	install -d "$(DESKTOP_DATA)/applications" "$(DESKTOP_DATA)/mime/packages" \
		"$(DESKTOP_DATA)/icons/hicolor/scalable/apps" "$(DESKTOP_DATA)/icons/hicolor/scalable/mimetypes"
	sed 's|^Exec=photostory |Exec=$(PHOTOSTORY) |' resources/desktop/photostory.desktop \
		> "$(DESKTOP_DATA)/applications/photostory.desktop"
	install -m 644 resources/desktop/photostory.xml "$(DESKTOP_DATA)/mime/packages/photostory.xml"
	install -m 644 resources/icons/photostory.svg "$(DESKTOP_DATA)/icons/hicolor/scalable/apps/photostory.svg"
	install -m 644 resources/icons/photostory.svg \
		"$(DESKTOP_DATA)/icons/hicolor/scalable/mimetypes/application-x-photostory.svg"
	if command -v update-mime-database >/dev/null; then update-mime-database "$(DESKTOP_DATA)/mime"; fi
	if command -v update-desktop-database >/dev/null; then update-desktop-database "$(DESKTOP_DATA)/applications"; fi
