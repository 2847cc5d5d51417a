# Scale-out (docs/scale.md): a real Slurm cluster (slurm-wlm + munge, started by
# tests/support/slurm_cluster.sh, needs root) runs deploy/slurm over a generated archive into
# one PostgreSQL; the result must equal a single-process run's, also after a task is cancelled
# and re-submitted. Packages: scripts/deps/scale.test.txt.
add_test(NAME scale_slurm
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/scale/test_slurm.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(scale_slurm PROPERTIES TIMEOUT 900 LABELS scale)
# The deploy files parse: YAML (yamllint, strict), shell (bash -n, shellcheck when installed),
# and the Indexed Jobs agree with themselves (completions = parallelism = DICOMETL_SHARDS).
add_test(NAME scale_deploy_lint
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/scale/check_deploy.py ${PROJECT_SOURCE_DIR}/deploy)
set_tests_properties(scale_deploy_lint PROPERTIES TIMEOUT 120 LABELS scale)
