# FusionLedger: the two entry points are `make demo` and `make test`; `make help` lists the rest.
# Settings come from the environment (see network/lib.sh and docs/network.md), e.g.
#   FUSIONLEDGER_NETWORK_DIR, FUSIONLEDGER_PORT_BASE, FUSIONLEDGER_ORDERERS, FABRIC_BIN.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MVN ?= mvn
# e.g. MVN_FLAGS="-B -o" to stay offline once the Maven repository is warm
MVN_FLAGS ?= -B

CHAINCODE_JAR := chaincode/target/fusionledger-chaincode.jar
CHAINCODE_SRC := $(shell find chaincode/src/main chaincode/pom.xml pom.xml -type f 2>/dev/null)

.DEFAULT_GOAL := help
.PHONY: help demo test network-up network-down network-status fabric-bin chaincode-deploy \
        chaincode smoke client network-selftest

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

demo: fabric-bin network-up ipfs-up chaincode-deploy ## the paper's MNIST experiment end to end on the ledger, each org on its own IPFS node (demo/README.md; DEMO_ARGS=--help)
	$(MVN) $(MVN_FLAGS) -q -pl demo -am package -DskipTests
	bash demo/scripts/fetch-mnist.sh
	demo/scripts/run-demo.sh $(DEMO_ARGS)

# Everything CI runs: unit tests (surefire) and integration tests on the real network (failsafe; the
# ITs bring the network up and deploy this build's chaincode themselves), then the network scripts'
# self-test on a private network. A network this run started is stopped at the end; one that was
# already running (even in part) is left running.
test: ## unit + integration tests (mvn verify) and the network self-test, as CI runs them
	@started=0; network/status.sh --quiet || { [[ $$? == 1 ]] && started=1; }; \
	start=$$SECONDS; rc=0; \
	$(MVN) $(MVN_FLAGS) verify || rc=$$?; \
	if [[ $$started == 1 ]]; then network/down.sh || true; fi; \
	if [[ $$rc == 0 ]]; then network/selftest.sh $(CHAINCODE_JAR) || rc=$$?; fi; \
	echo "make test: exit $$rc after $$(( SECONDS - start )) s"; exit $$rc

network-selftest: $(CHAINCODE_JAR) ## the network scripts' self-test on a private network (ports 17000+)
	network/selftest.sh $(CHAINCODE_JAR)

fabric-bin: ## build the Fabric binaries (cached in ~/.cache/fusionledger/fabric)
	network/fabric-bin.sh

network-up: ## start the Fabric network (idempotent)
	network/up.sh

network-down: ## stop the network (only its own processes) and remove its state
	network/down.sh

network-status: ## nodes, health, memory, channel, chaincode
	network/status.sh

chaincode: $(CHAINCODE_JAR) ## build the chaincode jar

$(CHAINCODE_JAR): $(CHAINCODE_SRC)
	$(MVN) $(MVN_FLAGS) -q -pl chaincode -am package -Dmaven.test.skip=true

chaincode-deploy: $(CHAINCODE_JAR) ## deploy the chaincode jar (redeploys with the next sequence when it changed)
	network/chaincode-deploy.sh $(CHAINCODE_JAR)

smoke: ## a smoke transaction on the running network (smoke:Put by both orgs, Get, History)
	network/smoke.sh

client: ## build the command-line tool (bin/fusionledger) with the agents' and the console's commands
	$(MVN) $(MVN_FLAGS) -q -pl client,agent,console -am package -DskipTests

# --- fusion engine (owned by the fusion-engine engineer) ---
.PHONY: bench-fusion test-tornado device-check-tornado
# BACKEND=tornado adds the TornadoVM backend (needs TORNADO_SDK); TORNADO_ROWS: its N (PoCL's CPU device is slow)
BACKEND ?= blas
TORNADO_ROWS ?= 20000
TORNADO_MODULE = $(if $(filter tornado,$(BACKEND)),$(comma)fusion-engine-tornado)
comma := ,
need-tornado-sdk = @if [[ -z "$${TORNADO_SDK:-}" ]]; then echo "$@: needs TORNADO_SDK (a TornadoVM SDK, see fusion-engine-tornado/README.md)" >&2; exit 2; fi

bench-fusion: ## fusion benchmark (N=100000, 10 x 64, d=10, batch 1024): BLAS vs sgemm, Java reference, PyTorch (DJL); BACKEND=tornado adds TornadoVM
	$(if $(filter tornado,$(BACKEND)),$(need-tornado-sdk))
	$(MVN) $(MVN_FLAGS) -q -pl proto,fusion-engine,fusion-bench$(TORNADO_MODULE) -am package -DskipTests
	bin/fusion-engine bench --backends blas,java$(if $(filter tornado,$(BACKEND)),$(comma)tornado) --tornado-rows $(TORNADO_ROWS)
	java -Dai.djl.offline=true -cp fusion-bench/target/classes:$$(cat fusion-bench/target/classpath.txt) dev.fusionledger.bench.TorchBench

test-tornado: ## the TornadoVM backend's agreement tests (kernels, whole trainings vs BLAS) on the SDK in TORNADO_SDK
	$(need-tornado-sdk)
	$(MVN) $(MVN_FLAGS) -pl proto,fusion-engine,fusion-engine-tornado -am test -Dtest='Tornado*Test' -Dsurefire.failIfNoSpecifiedTests=false

device-check-tornado: ## on every device TORNADO_SDK's TornadoVM lists: the bench run (TORNADO_ROWS), one line per device, vs BLAS
	$(need-tornado-sdk)
	$(MVN) $(MVN_FLAGS) -q -pl proto,fusion-engine,fusion-engine-tornado -am package -DskipTests
	timeout 300 env FUSION_ENGINE_MAIN=dev.fusionledger.fusion.tornado.TornadoDeviceCheck bin/fusion-engine $(TORNADO_ROWS)

# --- fusion on Apache Spark (fusion-spark/, spark/; docs/spark.md) ---
.PHONY: spark-up spark-down spark-status spark-test spark-it bench-spark
SPARK_APP_JAR := fusion-spark/target/fusion-spark-app.jar

$(SPARK_APP_JAR): $(shell find fusion-spark/src/main fusion-spark/pom.xml fusion-engine/src/main spark/pom.xml -type f 2>/dev/null)
	$(MVN) $(MVN_FLAGS) -q -pl spark,fusion-spark -am package -DskipTests

spark-up: $(SPARK_APP_JAR) ## start the Spark standalone cluster: master + 2 workers on 127.0.0.1:15000+ (idempotent)
	spark/up.sh

spark-down: ## stop the Spark cluster (only its own processes) and remove its state
	spark/down.sh

spark-status: ## the Spark cluster's processes, workers and applications
	spark/status.sh

spark-test: ## fusion-spark unit tests on local[2] (Params, agreement with FusionTrainer, persistence, scoring)
	$(MVN) $(MVN_FLAGS) -q -pl spark,fusion-spark -am test -Dtest='dev.fusionledger.spark.*Test' \
	  -Dsurefire.failIfNoSpecifiedTests=false

spark-it: ## fusion-spark integration test: cluster up, fit + scoring jobs via SparkLauncher, executors, down
	$(MVN) $(MVN_FLAGS) -q -pl spark,fusion-spark -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false

bench-spark: $(SPARK_APP_JAR) ## one JVM vs the cluster with 1 and 2 workers, N=1e5 and 1e6 (BENCH_SPARK_ROWS): samples/s, wall
	spark/bench.sh

# --- market chaincode (owned by the chaincode engineer) ---
.PHONY: bench-ledger
# On a network of its own (100 users per org for 200 distinct bidders; BENCH_PORT_BASE, BENCH_NETWORK_DIR),
# started here and stopped afterwards; FUSIONLEDGER_BATCH_TIMEOUT / _BATCH_MAX_MESSAGES try other batch settings.
BENCH_PORT_BASE ?= 13000
BENCH_NETWORK_DIR ?= $(HOME)/.cache/fusionledger/network-bench
BENCH_CONCURRENCY ?= 10,50,200
bench-ledger: ## ledger benchmark: committed SubmitBid/s and p50/p99 vs smoke:Put at concurrency 10, 50, 200 (own network)
	@export FUSIONLEDGER_PORT_BASE=$(BENCH_PORT_BASE) FUSIONLEDGER_NETWORK_DIR=$(BENCH_NETWORK_DIR) FUSIONLEDGER_USERS=100; \
	network/down.sh >/dev/null; rc=0; \
	$(MVN) $(MVN_FLAGS) -q -pl chaincode -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false \
	  -Dit.test=LedgerBenchmark -Dbench.concurrency=$(BENCH_CONCURRENCY) || rc=$$?; \
	network/down.sh >/dev/null || true; \
	cat chaincode/target/bench-ledger.txt; exit $$rc

# --- client SDK and CLI (owned by the client engineer) ---
.PHONY: client-test client-it
client-test: ## client unit tests: SDK, CLI, auditor, model store (no network; market rules in memory)
	$(MVN) $(MVN_FLAGS) -q -pl client -am test -DskipITs -Dtest='dev.fusionledger.client.**' \
	  -Dsurefire.failIfNoSpecifiedTests=false

client-it: ## client integration tests on the real network: SDK and CLI lifecycles, audit, event resume
	$(MVN) $(MVN_FLAGS) -q -pl client -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false \
	  -Dit.test='dev.fusionledger.client.it.*IT'

.PHONY: test-faults
test-faults: ## fault suite on its own 3-orderer network (ports 12000+): Raft leader, Raft quorum, a peer, the chaincode JVM killed mid-task
	$(MVN) $(MVN_FLAGS) -q -pl client -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.failIfNoSpecifiedTests=false \
	  -Dit.test='dev.fusionledger.client.it.faults.*IT'
	@cat client/target/faults-report.txt

.PHONY: bench-client
bench-client: ## client latency: typed SDK vs bare Fabric Gateway, BalanceOf and Transfer, same run
	$(MVN) $(MVN_FLAGS) -q -pl client -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.failIfNoSpecifiedTests=false -Dit.test=ClientBenchmark
	@cat client/target/bench-client.txt

# --- the paper's experiment, accuracy over seeds ---
.PHONY: bench-accuracy
bench-accuracy: fabric-bin network-up ipfs-up chaincode-deploy ## make demo for seeds 42, 43, 44: fused I/II vs baselines, free riders (demo/target/bench-accuracy.json)
	$(MVN) $(MVN_FLAGS) -q -pl demo -am package -DskipTests
	bash demo/scripts/fetch-mnist.sh
	DEMO_MAIN=dev.fusionledger.demo.bench.AccuracyBench demo/scripts/run-demo.sh $(BENCH_SEEDS)

# --- web console ---
.PHONY: console console-test console-it
CONSOLE_ARGS ?= console
console: ## web console on http://127.0.0.1:8470/ with your identity (console/README.md; CONSOLE_ARGS="--org Org2 --user User1 console --port 8480")
	$(MVN) $(MVN_FLAGS) -q -pl console -am package -DskipTests
	bin/fusionledger $(CONSOLE_ARGS)

console-test: ## console unit tests: HTTP on the in-memory market, spec form, settings, templates, CLI (no network, no browser)
	$(MVN) $(MVN_FLAGS) -q -pl console -am test -DskipITs -Dtest='dev.fusionledger.console.*Test' \
	  -Dsurefire.failIfNoSpecifiedTests=false

console-it: ## console browser tests: headless Chromium watching a task's whole life on the real network
	$(MVN) $(MVN_FLAGS) -q -pl console -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
	  -Dit.test=ConsoleIT

# --- IPFS model store (Kubo nodes, one per organisation; docs/model-store.md, docs/network.md) ---
.PHONY: kubo-bin ipfs-up ipfs-down bench-ipfs
kubo-bin: ## build Kubo (ipfs) from the Go module proxy into ~/.cache/fusionledger/kubo (no-op when cached)
	network/kubo-bin.sh

ipfs-up: ## start one Kubo node per org of the running network, private swarm, profile's modelStore (also: FUSIONLEDGER_IPFS=1 make network-up)
	network/ipfs-up.sh

ipfs-down: ## stop the Kubo nodes and delete their repositories (network-down stops them too)
	network/ipfs-down.sh

bench-ipfs: ## add/cat MB/s of 10 MB and 100 MB between the two orgs' Kubo nodes, resident memory, load (needs make ipfs-up)
	network/ipfs-bench.sh
