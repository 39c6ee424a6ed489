// Command consumer is a module that imports the api package as a user would; CI checks
// that its module graph holds neither the generator nor kin-openapi.
package main

import (
	"fmt"

	"github.com/grafana-invites/grafana-invites/api"
)

func main() {
	c, err := api.New("http://localhost:3000", api.WithToken("glsa_x"))
	fmt.Println(c != nil, err)
}
