"""Tests of the deployment: docker-compose.yml, the Dockerfile, .env.example, the Makefile, .ci/run
and make run's process list, checked without Docker or starting anything."""
