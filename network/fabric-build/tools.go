//go:build tools

// Package fabricbuild pins the Hyperledger Fabric commands FusionLedger builds from the Go module
// proxy. network/fabric-bin.sh builds them with `go build` from this module, so go.sum (committed)
// verifies every downloaded module without the checksum database.
package fabricbuild

import (
	_ "github.com/hyperledger/fabric/cmd/configtxgen"
	_ "github.com/hyperledger/fabric/cmd/cryptogen"
	_ "github.com/hyperledger/fabric/cmd/discover"
	_ "github.com/hyperledger/fabric/cmd/orderer"
	_ "github.com/hyperledger/fabric/cmd/osnadmin"
	_ "github.com/hyperledger/fabric/cmd/peer"
)
