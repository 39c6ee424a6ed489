package fakegrafana

import "github.com/grafana-invites/grafana-invites/internal/grafanaversion"

// DefaultGrafanaVersion is the Grafana release the fake behaves as unless
// WithGrafanaVersion says otherwise: the newest it models.
const DefaultGrafanaVersion = grafanaversion.Newest
