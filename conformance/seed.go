package conformance

import (
	"encoding/json"
	"fmt"
)

// AccountsFromSeed reads the prerequisites from a seed file of serve-fake --seed: its
// "conformance" object names the users (by login; their passwords come from "users") and
// gives the second org and the expired and revoked tokens:
//
//	"conformance": {"member": "member", "inviter": "inviter", "outsider": "outsider",
//	  "throwaway": "throwaway", "granted": "granted", "restricted": "restricted",
//	  "secondOrg": 2, "expiredToken": "glsa_…", "revokedToken": "glsa_…"}
//
// Any of them may be left out: the cases that need it are then skipped.
func AccountsFromSeed(data []byte) (Accounts, error) {
	var f struct {
		Users []struct {
			Login, Password string
		} `json:"users"`
		Conformance struct {
			Member, Inviter, Outsider, Throwaway, Granted, Restricted string
			SecondOrg                                                 int64
			ExpiredToken, RevokedToken                                string
		} `json:"conformance"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return Accounts{}, fmt.Errorf("conformance: the seed: %w", err)
	}
	passwords := map[string]string{}
	for _, u := range f.Users {
		passwords[u.Login] = u.Password
	}
	var missing error
	account := func(login string) *Account {
		if login == "" {
			return nil
		}
		pw, ok := passwords[login]
		if !ok && missing == nil {
			missing = fmt.Errorf("conformance: the seed names %q, who is not among its users", login)
		}
		return &Account{Login: login, Password: pw}
	}
	c := f.Conformance
	a := Accounts{
		Member: account(c.Member), Inviter: account(c.Inviter), Outsider: account(c.Outsider), Throwaway: account(c.Throwaway),
		Granted: account(c.Granted), Restricted: account(c.Restricted), SecondOrg: c.SecondOrg,
		ExpiredToken: c.ExpiredToken, RevokedToken: c.RevokedToken,
	}
	return a, missing
}
