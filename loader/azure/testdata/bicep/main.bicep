// A function app written in Bicep.
targetScope = 'resourceGroup'

@description('Name of the app')
param appName string = 'orders-bicep'
param location string = resourceGroup().location
param minTls string

var origins = [
  'https://shop.example.com'
  '*'
]

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${appName}-plan'
  location: location
  sku: {
    name: 'Y1'
  }
}

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: appName
  location: location
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: minTls
      ftpsState: 'FtpsOnly'
      cors: {
        allowedOrigins: origins
      }
      appSettings: [
        {
          name: 'API_KEY'
          value: 'sk_live_ExrENTg0fJHXpVjdKIp4YSXUXFYxCut7'
        }
        {
          name: 'STORAGE'
          value: 'DefaultEndpointsProtocol=https;AccountName=${appName};AccountKey=${listKeys(plan.id, '2022-09-01').keys[0].value}'
        }
      ]
    }
  }

  resource web 'config' = {
    name: 'web'
    properties: {
      remoteDebuggingEnabled: true
    }
  }
}

resource auth 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: false
    }
  }
}

output url string = 'https://${site.properties.defaultHostName}'
