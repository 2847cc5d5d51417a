#!/usr/bin/python3
"""Installs s3rver (npm ci, pinned by package-lock.json) into NODE_DIR: the ctest fixture s3_node,
run once before s3_ingest and dexa.s3, which share the folder and must not both install into it
at the same time.   usage: install_node.py NODE_DIR"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_s3  # noqa: E402

test_s3.npm_ci(os.path.abspath(sys.argv[1]))
print("s3rver installed in", sys.argv[1])
