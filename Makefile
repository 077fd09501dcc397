# Two entry points: `make run` opens the editor on the sample story, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := resources/sample/sample.photostory

.PHONY: run test clean install-desktop

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

run: $(VENV)/.installed
	scripts/qt-system-libs.sh
	$(BIN)/photostory open $(SAMPLE)

test: $(VENV)/.installed-test node_modules/.installed
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
