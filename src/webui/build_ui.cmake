# Builds the web app (ui/) into OUT_DIR: `npm ci` when ui/node_modules is missing or
# older than ui/package-lock.json, then `npm run build` (tsc --noEmit && vite build).
# Run by src/webui/CMakeLists.txt at build time:
#   cmake -DUI_DIR=... -DOUT_DIR=... -DNPM=... -P build_ui.cmake
# Several build trees (release, asan) may run this at once: a lock on ui/ keeps two
# `npm ci` from writing node_modules together.
cmake_minimum_required(VERSION 3.25)

foreach(var UI_DIR OUT_DIR NPM)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_ui.cmake: ${var} is not set")
  endif()
endforeach()

file(LOCK "${UI_DIR}/.build.lock" GUARD PROCESS TIMEOUT 900 RESULT_VARIABLE lock_result)
if(NOT lock_result EQUAL 0)
  message(FATAL_ERROR "build_ui.cmake: could not lock ${UI_DIR}/.build.lock: ${lock_result}")
endif()

set(installed "${UI_DIR}/node_modules/.package-lock.json")
if(NOT EXISTS "${installed}" OR "${UI_DIR}/package-lock.json" IS_NEWER_THAN "${installed}")
  message(STATUS "webui: npm ci in ${UI_DIR}")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund
                  WORKING_DIRECTORY "${UI_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "webui: `npm ci` failed in ${UI_DIR} (exit ${rc}). The web app needs "
                        "its npm packages; check the network or the npm registry setting, or "
                        "configure with -DCAREPOST_WEBUI=OFF to build without the web app.")
  endif()
  # npm ci leaves the lockfile's own time: mark the install as newer than the lockfile.
  file(TOUCH "${installed}")
endif()

execute_process(COMMAND "${NPM}" run --silent build -- --outDir "${OUT_DIR}" --emptyOutDir
                        --logLevel warn
                WORKING_DIRECTORY "${UI_DIR}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "webui: building ui/ failed (exit ${rc}); the TypeScript or Vite "
                      "errors are above.")
endif()
if(NOT EXISTS "${OUT_DIR}/index.html")
  message(FATAL_ERROR "webui: vite build wrote no ${OUT_DIR}/index.html")
endif()
