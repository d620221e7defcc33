resource "azurerm_linux_function_app" "app" {
  name       = "orders"
  https_only = false
  site_config {
    minimum_tls_version      = "1.1"
    remote_debugging_enabled = true
    cors {
      allowed_origins = ["*"]
    }
  }
  auth_settings_v2 {
    auth_enabled = false
  }
  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_CONNECTION            = "Server=tcp:db.example.com;Password=Sup3rS3cr3t!Pass;"
    KV_SECRET                = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)"
  }
}

resource "azurerm_function_app" "legacy" {
  name = "legacy"
  site_config {
    ftps_state = "AllAllowed"
  }
  identity {
    type = "SystemAssigned"
  }
}
